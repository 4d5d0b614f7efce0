using EnclaveGen.Analyzers.Taint;
using EnclaveGen.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;

namespace EnclaveGen.Analyzers.Tests.Taint;

/// <summary>
/// Sealing and the attested channel in the leak analysis: what they open is secret (sources),
/// what they seal may leave (sanitizers).
/// </summary>
public sealed class ProtectedDataTests
{
    private const string Enclave = """
        using EnclaveGen;
        using EnclaveGen.Attestation.Channel;

        [Enclave]
        public partial class Vault
        {
            private AttestedSession _session = null!;

            [Trusted] public string Unsealed(byte[] blob) => {|#0:EnclaveSealing.UnsealString(blob)|};
            [Trusted] public byte[] Resealed(byte[] blob) => EnclaveSealing.SealString(EnclaveSealing.UnsealString(blob), SealingPolicy.MrEnclave);
            [Trusted] public void Relay(byte[] record) => Forward({|#1:_session.Open(record)|});
            [Trusted] public void Answer(byte[] record) => Forward(_session.Seal(_session.Open(record)));
            [Trusted] public int Length(byte[] record) => Secrets.Declassify(_session.Open(record).Length, "sizes are public in this protocol");

            [Untrusted] private static partial void Forward(byte[] data);
        }

        partial class Vault
        {
            private static partial void Forward(byte[] data) { }
        }
        """;

    [Fact]
    public Task OpenedDataIsSecretAndSealedDataMayLeave()
    {
        CSharpAnalyzerTest<TaintAnalyzer, DefaultVerifier> test = new() { TestCode = Enclave };
        EnclaveTestSetup.Configure(test.TestState);
        test.TestState.AdditionalReferences.Add(MetadataReference.CreateFromFile(typeof(EnclaveSealing).Assembly.Location));
        test.TestState.AdditionalReferences.Add(MetadataReference.CreateFromFile(typeof(EnclaveGen.Attestation.Channel.AttestedSession).Assembly.Location));
        test.ExpectedDiagnostics.Add(EnclaveTestSetup.Diagnostic("EG3002", 0));
        test.ExpectedDiagnostics.Add(EnclaveTestSetup.Diagnostic("EG3001", 1));
        return test.RunAsync();
    }

    [Fact]
    public async Task AProtectedFilesContentIsSecretAndADiagnosticNamesTheDeclaredSecretItWasStoredIn()
    {
        // _weight is [Secret] and holds what a protected file gave back: the diagnostic says '_weight', not the API the bytes came from.
        var diagnostics = await AnalyzerHarness.AnalyzeAsync([("Vault.cs", """
            using System.IO;
            using EnclaveGen;
            using EnclaveGen.Runtime.ProtectedFiles;

            [Enclave]
            public partial class Model
            {
                [Secret] private double _weight;

                [Trusted]
                public void Load()
                {
                    using ProtectedFileStream file = EnclaveFiles.Open("model", FileMode.Open, SealingPolicy.MrEnclave);
                    var bytes = new byte[8];
                    file.ReadExactly(bytes);
                    _weight = System.BitConverter.ToDouble(bytes);
                    Report(bytes.Length, (int)file.Length);
                }

                [Trusted] public double Weight() => _weight;

                [Untrusted] private static partial void Report(int read, int size);
            }

            partial class Model
            {
                private static partial void Report(int read, int size) { }
            }
            """)]);

        Diagnostic leak = Assert.Single(diagnostics, d => d.Id.StartsWith("EG3", StringComparison.Ordinal));
        Assert.Equal("EG3002", leak.Id);
        Assert.StartsWith("'_weight' reaches the return value of ECALL 'Weight'", leak.GetMessage(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }
}
