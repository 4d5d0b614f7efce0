using System.Reflection;
using Basic.Reference.Assemblies;
using EnclaveGen.Analyzers.Taint;
using EnclaveGen.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace EnclaveGen.Analyzers.Tests.Taint;

/// <summary>
/// The syntactic pre-filter of the leak analysis (<see cref="SecretRelevance"/>): it must skip
/// bodies that cannot see a secret (that is what makes the analysis cheap) and must never skip
/// one a secret can reach, however indirectly. The second half plants a leak behind each
/// indirection and checks that the analysis still reports it.
/// </summary>
public sealed class SecretRelevanceTests
{
    private const string Mixed = """
        using EnclaveGen;

        [Enclave]
        public partial class Vault
        {
            [Secret] private readonly byte[] _key = new byte[32];
            private int _uses;
            private int _public;

            [Trusted] public int UsesKey() { _uses++; return Secrets.Declassify(_key.Length, "public"); }
            [Trusted] public int ReadsWrittenField() => _uses;
            [Trusted] public int WithSecretParameter([Secret] int pin) => Secrets.Declassify(pin & 1, "parity");
            [Trusted] public int CallsHelperThatReadsKey() => Helper();
            [Trusted] public int Arithmetic(int a, int b) { int x = a; for (int i = 0; i < 4; i++) { x = x * 31 + b; } _public = x; return x; }
            [Trusted] public string Formatting(string user, int count) => user + ":" + count + Mask(user);
            [Trusted] public int ReadsPublicField() => _public;

            private int Helper() => _key[0];
            private static string Mask(string s) => s.Length > 2 ? s.Substring(0, 2) + "***" : "***";
        }
        """;

    [Theory]
    [InlineData("UsesKey", true)]
    [InlineData("ReadsWrittenField", true)]
    [InlineData("WithSecretParameter", true)]
    [InlineData("CallsHelperThatReadsKey", true)]
    [InlineData("Helper", true)]
    [InlineData("Arithmetic", false)]
    [InlineData("Formatting", false)]
    [InlineData("Mask", false)]
    [InlineData("ReadsPublicField", false)]
    public void BodiesThatCannotSeeASecretAreSkipped(string method, bool mayTouchSecret)
    {
        CSharpCompilation compilation = AnalyzerHarness.Compile(("Vault.cs", Mixed));
        SecretRelevance relevance = SecretRelevance.Compute(compilation, LibraryModels.ShippedOnly.SecretSourceNames, CancellationToken.None);

        Assert.Equal(mayTouchSecret, relevance.MayTouchSecret(Method(compilation, "Vault", method)));
    }

    [Fact]
    public void ABodyThatNamesOnlyAModelledSecretSourceIsNotSkipped()
    {
        // A request body decrypted by TLS inside and a released secret are secret by their models
        // (Library.models), with no [Secret] in the enclave's code.
        const string source = """
            using System;
            using System.IO;
            using System.Security.Cryptography.X509Certificates;
            using EnclaveGen;

            [Enclave]
            public partial class Vault
            {
                [Trusted] public int Released(Stream connection, X509Certificate2 service) => EnclaveSecretRelease.RequestAsync(new Uri("https://owner/"), connection, service).Result[0];
                [Trusted] public int FromRequest(EnclaveHttpRequest request) => request.Body[0];
                [Trusted] public int Plain(int a) => a * 2;
            }
            """;
        CSharpCompilation compilation = AnalyzerHarness.Compile(("Vault.cs", source));
        SecretRelevance withModels = SecretRelevance.Compute(compilation, LibraryModels.ShippedOnly.SecretSourceNames, CancellationToken.None);
        SecretRelevance withoutModels = SecretRelevance.Compute(compilation, [], CancellationToken.None);

        Assert.Contains("Body", LibraryModels.ShippedOnly.SecretSourceNames);
        Assert.Contains("RequestAsync", LibraryModels.ShippedOnly.SecretSourceNames);
        Assert.True(withModels.MayTouchSecret(Method(compilation, "Vault", "Released")));
        Assert.True(withModels.MayTouchSecret(Method(compilation, "Vault", "FromRequest")));
        Assert.False(withModels.MayTouchSecret(Method(compilation, "Vault", "Plain")));
        Assert.False(withoutModels.MayTouchSecret(Method(compilation, "Vault", "Released")));
        Assert.False(withoutModels.MayTouchSecret(Method(compilation, "Vault", "FromRequest")));
    }

    [Fact]
    public void AnOperatorThatTouchesASecretTurnsTheFilterOff()
    {
        const string source = """
            using EnclaveGen;

            public readonly struct Token
            {
                [Secret] private readonly int _value;
                public Token(int value) => _value = value;
                public static int operator +(Token a, int b) => a._value + b;
            }

            [Enclave]
            public partial class Vault
            {
                [Trusted] public int Plain(int a) => a * 2;
            }
            """;
        CSharpCompilation compilation = AnalyzerHarness.Compile(("Vault.cs", source));

        Assert.True(SecretRelevance.Compute(compilation, LibraryModels.ShippedOnly.SecretSourceNames, CancellationToken.None).MayTouchSecret(Method(compilation, "Vault", "Plain")));
    }

    [Fact]
    public void AnAliasedSecretAttributeIsRecognised()
    {
        const string source = """
            using EnclaveGen;
            using Hidden = EnclaveGen.SecretAttribute;

            [Enclave]
            public partial class Vault
            {
                [Hidden] private readonly string _token = "";
                [Trusted] public int UsesToken() => Secrets.Declassify(_token.Length, "public");
                [Trusted] public int Plain(int a) => a * 2;
            }
            """;
        CSharpCompilation compilation = AnalyzerHarness.Compile(("Vault.cs", source));
        SecretRelevance relevance = SecretRelevance.Compute(compilation, LibraryModels.ShippedOnly.SecretSourceNames, CancellationToken.None);

        Assert.True(relevance.MayTouchSecret(Method(compilation, "Vault", "UsesToken")));
        Assert.False(relevance.MayTouchSecret(Method(compilation, "Vault", "Plain")));
    }

    [Fact]
    public Task LeakThroughAFieldWrittenInAnotherMethodAndAHelperInAnotherClassIsStillFound() =>
        EnclaveAnalyzerTest<TaintAnalyzer>.VerifyAsync(
            """
            using EnclaveGen;

            public static class KeyStore
            {
                [Secret] public static byte[] Master { get; } = new byte[32];
                public static int FirstByte() => Master[0];
            }

            [Enclave]
            public partial class Vault
            {
                private int _cached;

                [Trusted] public void Load() => _cached = Derive();
                [Trusted] public void Publish() => Send({|#0:_cached|});

                private static int Derive() => KeyStore.FirstByte() ^ 0x5A;

                [Untrusted] private static partial void Send(int value);
            }

            partial class Vault
            {
                private static partial void Send(int value) { }
            }
            """,
            EnclaveTestSetup.Diagnostic("EG3001", 0));

    [Fact]
    public Task LeakThroughAFieldSetInTheConstructorIsStillFound() =>
        EnclaveAnalyzerTest<TaintAnalyzer>.VerifyAsync(
            """
            using EnclaveGen;

            public class KeyHolder
            {
                public KeyHolder([Secret] int key) => Key = key;
                public int Key { get; }
            }

            [Enclave]
            public partial class Vault
            {
                private readonly KeyHolder _holder;

                public Vault() => _holder = new KeyHolder(Load());

                [Trusted] public int Leak() => {|#0:_holder.Key|};

                [return: Secret]
                private static int Load() => 42;
            }
            """,
            EnclaveTestSetup.Diagnostic("EG3002", 0));

    [Fact]
    public Task LeakThroughAnImplicitlyCalledEnumeratorIsStillFound() =>
        EnclaveAnalyzerTest<TaintAnalyzer>.VerifyAsync(
            """
            using System.Collections;
            using System.Collections.Generic;
            using EnclaveGen;

            public sealed class Keys : IEnumerable<int>
            {
                [Secret] private readonly int[] _keys = [1, 2, 3];
                public IEnumerator<int> GetEnumerator() => ((IEnumerable<int>)_keys).GetEnumerator();
                IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
            }

            [Enclave]
            public partial class Vault
            {
                [Trusted]
                public void Publish(Keys keys)
                {
                    foreach (int k in keys)
                    {
                        {|#1:Send({|#0:k|})|};
                    }
                }

                [Untrusted] private static partial void Send(int value);
            }

            partial class Vault
            {
                private static partial void Send(int value) { }
            }
            """,
            EnclaveTestSetup.Diagnostic("EG3001", 0),
            EnclaveTestSetup.Diagnostic("EG3006", 1));

    [Fact]
    public async Task ASecretPropertyOfAReferencedLibraryIsAWayIn()
    {
        CSharpCompilation library = CSharpCompilation.Create(
            "Credentials",
            [CSharpSyntaxTree.ParseText("""
                namespace Credentials;
                public sealed class Login
                {
                    [EnclaveGen.Secret] public string Password { get; set; } = "";
                    public string User { get; set; } = "";
                }
                """)],
            [.. Net100.References.All, MetadataReference.CreateFromFile(typeof(EnclaveAttribute).Assembly.Location)],
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        using var image = new MemoryStream();
        Assert.True(library.Emit(image).Success);

        var test = new EnclaveAnalyzerTest<TaintAnalyzer>(
            """
            using Credentials;
            using EnclaveGen;

            [Enclave]
            public partial class Vault
            {
                [Trusted] public void Check(Login login) => Audit(login.User, {|#0:login.Password|});
                [Trusted] public int Plain(int a) => a * 2;

                [Untrusted] private static partial void Audit(string user, string detail);
            }

            partial class Vault
            {
                private static partial void Audit(string user, string detail) { }
            }
            """,
            EnclaveTestSetup.Diagnostic("EG3001", 0));
        test.TestState.AdditionalReferences.Add(MetadataReference.CreateFromImage(image.ToArray()));
        await test.RunAsync();
    }

    /// <summary>
    /// The filter does not read EnclaveGen's own assemblies for [Secret] members (their sources
    /// are the unsealing and channel APIs it knows by name): this keeps that true.
    /// </summary>
    [Fact]
    public void EnclaveGenAssembliesDeclareNoSecretMembers()
    {
        Assembly[] assemblies = [typeof(EnclaveAttribute).Assembly, typeof(EnclaveSealing).Assembly, typeof(EnclaveGen.Attestation.Channel.AttestedSession).Assembly];
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        var secret = assemblies
            .SelectMany(a => a.GetTypes())
            .SelectMany(t => t.GetMembers(all))
            .Where(m => m.IsDefined(typeof(SecretAttribute), inherit: false)
                || (m is MethodInfo method && method.ReturnParameter.IsDefined(typeof(SecretAttribute), inherit: false)))
            .Select(m => m.DeclaringType + "." + m.Name)
            .ToList();

        Assert.Empty(secret);
        Assert.Equal(
            [EnclaveGen.Shared.KnownNames.AbstractionsAssembly, EnclaveGen.Shared.KnownNames.RuntimeAssembly, EnclaveGen.Shared.KnownNames.AttestationAssembly],
            assemblies.Select(a => a.GetName().Name));
    }

    private static IMethodSymbol Method(Compilation compilation, string type, string name) =>
        compilation.GetTypeByMetadataName(type)!.GetMembers(name).OfType<IMethodSymbol>().Single();
}
