using EnclaveGen.Analyzers.Taint;
using EnclaveGen.Analyzers.Tests.Infrastructure;
using EnclaveGen.CodeFixes;
using Microsoft.CodeAnalysis;
using static EnclaveGen.Analyzers.Tests.Infrastructure.EnclaveTestSetup;

namespace EnclaveGen.Analyzers.Tests.CodeFixes;

/// <summary>
/// The integrity fixes: EG6002 inserts a guard against a named limit, EG6003 generates key
/// material inside, EG6004 unseals what the host stores and seals where the enclave hands it
/// out. The fixed code compiles and the analysis has nothing left to report in it.
/// </summary>
public sealed class IntegrityCodeFixTests
{
    [Fact]
    public async Task AGuardWithANamedLimitGoesBeforeTheAllocation()
    {
        string source = """
            using EnclaveGen;

            [Enclave]
            public partial class Vault
            {
                [Trusted]
                public int LoadPage()
                {
                    int count = PendingRecords();
                    var page = new byte[{|#0:count * 64|}];
                    return page.Length;
                }

                [Untrusted] private static partial int PendingRecords();
            }

            partial class Vault { private static partial int PendingRecords() => 0; }
            """;
        string fixedSource = """
            using EnclaveGen;

            [Enclave]
            public partial class Vault
            {
                // The most the enclave accepts for 'count': set it to what it really needs.
                private const int MaxCount = 1024;

                [Trusted]
                public int LoadPage()
                {
                    int count = PendingRecords();
                    if (count < 0 || count > MaxCount)
                    {
                        throw new System.InvalidOperationException($"'count' is {count}; expected 0 to {MaxCount}.");
                    }

                    var page = new byte[count * 64];
                    return page.Length;
                }

                [Untrusted] private static partial int PendingRecords();
            }

            partial class Vault { private static partial int PendingRecords() => 0; }
            """;
        await new EnclaveCodeFixTest<TaintAnalyzer, HostSizeGuardCodeFixProvider>(source, fixedSource, Diagnostic("EG6002")).RunAsync();
    }

    [Fact]
    public async Task AnExpressionBodiedEcallAndALoopGetAGuardEach()
    {
        string source = """
            using EnclaveGen;

            [Enclave]
            public partial class Vault
            {
                public int Total;

                [Trusted]
                public byte[] Sample(int size) => new byte[{|#0:size|}];

                [Trusted]
                public void Spin(long rounds)
                {
                    for (long i = 0; {|#1:i < rounds|}; i++)
                    {
                        Total++;
                    }
                }
            }
            """;
        string fixedSource = """
            using EnclaveGen;

            [Enclave]
            public partial class Vault
            {
                // The most the enclave accepts for 'rounds': set it to what it really needs.
                private const long MaxRounds = 1024;

                // The most the enclave accepts for 'size': set it to what it really needs.
                private const int MaxSize = 1024;

                public int Total;

                [Trusted]
                public byte[] Sample(int size)
                {
                    if (size < 0 || size > MaxSize)
                    {
                        throw new System.InvalidOperationException($"'size' is {size}; expected 0 to {MaxSize}.");
                    }

                    return new byte[size];
                }

                [Trusted]
                public void Spin(long rounds)
                {
                    if (rounds < 0 || rounds > MaxRounds)
                    {
                        throw new System.InvalidOperationException($"'rounds' is {rounds}; expected 0 to {MaxRounds}.");
                    }

                    for (long i = 0; i < rounds; i++)
                    {
                        Total++;
                    }
                }
            }
            """;
        var test = new EnclaveCodeFixTest<TaintAnalyzer, HostSizeGuardCodeFixProvider>(source, fixedSource, Diagnostic("EG6002", 0), Diagnostic("EG6002", 1));
        test.NumberOfFixAllIterations = 2;
        await test.RunAsync();
    }

    [Fact]
    public async Task KeyMaterialAndANonceAreGeneratedInside()
    {
        string source = """
            using System;
            using System.Security.Cryptography;
            using EnclaveGen;

            [Enclave]
            public partial class Vault
            {
                [Trusted]
                public int Protect()
                {
                    using var aes = new AesGcm({|#0:LoadKey()|}, 16);
                    byte[] nonce = NextNonce();
                    var cipher = new byte[4];
                    aes.Encrypt({|#1:nonce|}, new byte[4], cipher, new byte[16]);
                    var random = new Random({|#2:Seed()|});
                    return random.Next() + cipher.Length;
                }

                [Untrusted] private static partial byte[] LoadKey();
                [Untrusted] private static partial byte[] NextNonce();
                [Untrusted] private static partial int Seed();
            }

            partial class Vault
            {
                private static partial byte[] LoadKey() => [];
                private static partial byte[] NextNonce() => [];
                private static partial int Seed() => 0;
            }
            """;
        string fixedSource = """
            using System;
            using System.Security.Cryptography;
            using EnclaveGen;

            [Enclave]
            public partial class Vault
            {
                [Trusted]
                public int Protect()
                {
                    byte[] key = new byte[32];
                    RandomNumberGenerator.Fill(key);
                    using var aes = new AesGcm(key, 16);
                    byte[] nonce = new byte[12];
                    RandomNumberGenerator.Fill(nonce);
                    var cipher = new byte[4];
                    aes.Encrypt(nonce, new byte[4], cipher, new byte[16]);
                    var random = new Random(RandomNumberGenerator.GetInt32(int.MaxValue));
                    return random.Next() + cipher.Length;
                }

                [Untrusted] private static partial byte[] LoadKey();
                [Untrusted] private static partial byte[] NextNonce();
                [Untrusted] private static partial int Seed();
            }

            partial class Vault
            {
                private static partial byte[] LoadKey() => [];
                private static partial byte[] NextNonce() => [];
                private static partial int Seed() => 0;
            }
            """;
        var test = new EnclaveCodeFixTest<TaintAnalyzer, GenerateKeyMaterialCodeFixProvider>(source, fixedSource, Diagnostic("EG6003", 0), Diagnostic("EG6003", 1), Diagnostic("EG6003", 2));
        test.NumberOfFixAllIterations = 3;
        await test.RunAsync();
    }

    [Fact]
    public async Task HostStateIsUnsealedWhereItComesBackAndSealedWhereItLeaves()
    {
        string source = """
            using EnclaveGen;

            [Enclave]
            public partial class Vault
            {
                private byte[] _ledger = [];

                [Trusted]
                public int Restore()
                {
                    _ledger = {|#0:LoadLedger()|};
                    return _ledger.Length;
                }

                [Trusted]
                public byte[] Persist() => _ledger;

                [Trusted]
                public void Save() => StoreLedger(_ledger);

                [Untrusted] private static partial byte[] LoadLedger();
                [Untrusted] private static partial void StoreLedger(byte[] ledger);
            }

            partial class Vault
            {
                private static partial byte[] LoadLedger() => [];
                private static partial void StoreLedger(byte[] ledger) { }
            }
            """;
        string fixedSource = """
            using EnclaveGen;

            [Enclave]
            public partial class Vault
            {
                private byte[] _ledger = [];

                [Trusted]
                public int Restore()
                {
                    _ledger = EnclaveSealing.Unseal(LoadLedger());
                    return _ledger.Length;
                }

                [Trusted]
                public byte[] Persist() => EnclaveSealing.Seal(_ledger, SealingPolicy.MrEnclave);

                [Trusted]
                public void Save() => StoreLedger(EnclaveSealing.Seal(_ledger, SealingPolicy.MrEnclave));

                [Untrusted] private static partial byte[] LoadLedger();
                [Untrusted] private static partial void StoreLedger(byte[] ledger);
            }

            partial class Vault
            {
                private static partial byte[] LoadLedger() => [];
                private static partial void StoreLedger(byte[] ledger) { }
            }
            """;
        var test = new EnclaveCodeFixTest<TaintAnalyzer, SealHostStateCodeFixProvider>(source, fixedSource, Diagnostic("EG6004"));
        test.TestState.AdditionalReferences.Add(MetadataReference.CreateFromFile(typeof(EnclaveSealing).Assembly.Location));
        test.FixedState.AdditionalReferences.Add(MetadataReference.CreateFromFile(typeof(EnclaveSealing).Assembly.Location));
        await test.RunAsync();
    }
}
