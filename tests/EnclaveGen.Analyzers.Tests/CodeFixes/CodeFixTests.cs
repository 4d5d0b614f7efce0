using System.Collections.Immutable;
using EnclaveGen.Analyzers.Boundary;
using EnclaveGen.Analyzers.Taint;
using EnclaveGen.Analyzers.Tests.Infrastructure;
using EnclaveGen.CodeFixes;
using EnclaveGen.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;
using static EnclaveGen.Analyzers.Tests.Infrastructure.EnclaveTestSetup;

namespace EnclaveGen.Analyzers.Tests.CodeFixes;

public sealed class CodeFixTests
{
    private const string Ocalls = """

            [Untrusted] private static partial void Audit(string user, string detail);
            [Untrusted] private static partial void Send(int value);
        }

        """ + OcallImplementations;

    [Fact]
    public async Task DeclassifyWrapsTheLeakingArgument()
    {
        string source = """
            using EnclaveGen;

            [Enclave]
            public partial class Vault
            {
                [Trusted]
                public void Check(string user, [Secret] string password)
                {
                    Audit(user, {|#0:"pw " + password|});
                }
            """ + Ocalls;
        string fixedSource = """
            using EnclaveGen;

            [Enclave]
            public partial class Vault
            {
                [Trusted]
                public void Check(string user, [Secret] string password)
                {
                    Audit(user, Secrets.Declassify("pw " + password, "TODO: say why this may leave the enclave"));
                }
            """ + Ocalls;
        await new EnclaveCodeFixTest<TaintAnalyzer, DeclassifyCodeFixProvider>(source, fixedSource, Diagnostic("EG3001")).RunAsync();
    }

    [Fact]
    public async Task DeclassifyWrapsTheReturnedValue()
    {
        string source = """
            using EnclaveGen;

            [Enclave]
            public partial class Vault
            {
                [Trusted]
                public int Hint([Secret] int pin) => {|#0:pin % 10|};
            """ + Ocalls;
        string fixedSource = """
            using EnclaveGen;

            [Enclave]
            public partial class Vault
            {
                [Trusted]
                public int Hint([Secret] int pin) => Secrets.Declassify(pin % 10, "TODO: say why this may leave the enclave");
            """ + Ocalls;
        var test = new EnclaveCodeFixTest<TaintAnalyzer, DeclassifyCodeFixProvider>(source, fixedSource, Diagnostic("EG3002"));
        test.DisabledDiagnostics.Add("EG4004");
        await test.RunAsync();
    }

    [Fact]
    public async Task AddSecretMarksTheParameterAndTheField()
    {
        string source = """
            using EnclaveGen;

            [Enclave]
            public partial class Vault
            {
                private string {|#1:_apiToken|} = "";

                [Trusted]
                public void Login(string user, string {|#0:password|}) { }
            }
            """;
        string fixedSource = """
            using EnclaveGen;

            [Enclave]
            public partial class Vault
            {
                [Secret]
                private string _apiToken = "";

                [Trusted]
                public void Login(string user, [Secret] string password) { }
            }
            """;
        await new EnclaveCodeFixTest<SecretNamingAnalyzer, AddSecretAttributeCodeFixProvider>(source, fixedSource, Diagnostic("EG3007", 0), Diagnostic("EG3007", 1)).RunAsync();
    }

    [Fact]
    public async Task FixedTimeEqualsReplacesStringEquality()
    {
        string source = """
            using EnclaveGen;

            [Enclave]
            public partial class Vault
            {
                private readonly string _stored = "s";
                private bool _ok;

                [Trusted]
                public void Check([Secret] string password) => _ok = {|#0:password == _stored|};
            }
            """;
        string fixedSource = """
            using System.Security.Cryptography;
            using System.Text;
            using EnclaveGen;

            [Enclave]
            public partial class Vault
            {
                private readonly string _stored = "s";
                private bool _ok;

                [Trusted]
                public void Check([Secret] string password) => _ok = CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(password), Encoding.UTF8.GetBytes(_stored));
            }
            """;
        await new EnclaveCodeFixTest<TaintAnalyzer, FixedTimeEqualsCodeFixProvider>(source, fixedSource, Diagnostic("EG4002")).RunAsync();
    }

    [Fact]
    public async Task FixedTimeEqualsReplacesSequenceEqualOnBytes()
    {
        string source = """
            using System.Linq;
            using System.Security.Cryptography;
            using EnclaveGen;

            [Enclave]
            public partial class Vault
            {
                private readonly byte[] _mac = new byte[32];
                private bool _ok;

                [Trusted]
                public void Check([Secret] byte[] mac) => _ok = {|#0:mac.SequenceEqual(_mac)|};
            }
            """;
        string fixedSource = """
            using System.Linq;
            using System.Security.Cryptography;
            using EnclaveGen;

            [Enclave]
            public partial class Vault
            {
                private readonly byte[] _mac = new byte[32];
                private bool _ok;

                [Trusted]
                public void Check([Secret] byte[] mac) => _ok = CryptographicOperations.FixedTimeEquals(mac, _mac);
            }
            """;
        await new EnclaveCodeFixTest<TaintAnalyzer, FixedTimeEqualsCodeFixProvider>(source, fixedSource, Diagnostic("EG4002")).RunAsync();
    }

    private const string FakeGenerated = """
        // <auto-generated/>
        using System.Threading.Tasks;

        partial class Vault
        {
            public interface IUntrusted { void Audit(string user, string detail); }

            public sealed class Proxy : System.IAsyncDisposable
            {
                public bool Check(string user, string password) => false;
                public ValueTask DisposeAsync() => default;
            }

            public static ValueTask<Proxy> CreateEnclaveAsync(IUntrusted host) => new(new Proxy());
        }
        """;

    private const string ProxyEnclave = """
        using System.Threading.Tasks;
        using EnclaveGen;

        [Enclave]
        public partial class Vault
        {
            [Trusted]
            public bool Check(string user, [Secret] string password) => true;

            [Untrusted] private static partial void Audit(string user, string detail);
            [Untrusted] private static partial void Send(int value);
        }

        """ + OcallImplementations;

    [Fact]
    public async Task ProxyFixReplacesTheEnclaveObjectWithALoadedProxy()
    {
        string source = ProxyEnclave + """

            class Host
            {
                async Task<bool> Run(Vault.IUntrusted host)
                {
                    var vault = {|#0:new Vault()|};
                    return {|#1:vault.Check("alice", "pw")|};
                }
            }
            """;
        string fixedSource = ProxyEnclave + """

            class Host
            {
                async Task<bool> Run(Vault.IUntrusted host)
                {
                    await using var vault = await Vault.CreateEnclaveAsync(host);
                    return vault.Check("alice", "pw");
                }
            }
            """;
        var test = new EnclaveCodeFixTest<HostBoundaryAnalyzer, ProxyCallCodeFixProvider>(source, fixedSource, Diagnostic("EG1101", 0), Diagnostic("EG1102", 1))
        {
            NumberOfIncrementalIterations = 1,
            CodeFixTestBehaviors = CodeFixTestBehaviors.SkipFixAllCheck,
        };
        test.TestState.Sources.Add(("Vault.Enclave.g.cs", FakeGenerated));
        test.FixedState.Sources.Add(("Vault.Enclave.g.cs", FakeGenerated));
        await test.RunAsync();
    }

    [Fact]
    public async Task ProxyFixTurnsACallOnANewEnclaveIntoAProxyCall()
    {
        string source = ProxyEnclave + """

            class Host
            {
                private readonly Vault.IUntrusted _host;

                Host(Vault.IUntrusted host) => _host = host;

                async Task<bool> Run()
                {
                    bool ok = {|#1:{|#0:new Vault()|}.Check("alice", "pw")|};
                    return ok;
                }
            }
            """;
        string fixedSource = ProxyEnclave + """

            class Host
            {
                private readonly Vault.IUntrusted _host;

                Host(Vault.IUntrusted host) => _host = host;

                async Task<bool> Run()
                {
                    await using var vault = await Vault.CreateEnclaveAsync(_host);
                    bool ok = vault.Check("alice", "pw");
                    return ok;
                }
            }
            """;
        var test = new EnclaveCodeFixTest<HostBoundaryAnalyzer, ProxyCallCodeFixProvider>(source, fixedSource, Diagnostic("EG1101", 0), Diagnostic("EG1102", 1))
        {
            NumberOfIncrementalIterations = 1,
            CodeFixTestBehaviors = CodeFixTestBehaviors.SkipFixAllCheck,
        };
        test.TestState.Sources.Add(("Vault.Enclave.g.cs", FakeGenerated));
        test.FixedState.Sources.Add(("Vault.Enclave.g.cs", FakeGenerated));
        await test.RunAsync();
    }

    [Fact]
    public async Task ProxyFixIsNotOfferedOutsideAsyncCode()
    {
        string source = ProxyEnclave + """

            class Host
            {
                bool Run(Vault.IUntrusted host) => {|#1:{|#0:new Vault()|}.Check("alice", "pw")|};
            }
            """;
        var test = new EnclaveCodeFixTest<HostBoundaryAnalyzer, ProxyCallCodeFixProvider>(source, source, Diagnostic("EG1101", 0), Diagnostic("EG1102", 1))
        {
            NumberOfIncrementalIterations = 0,
            NumberOfFixAllIterations = 0,
        };
        test.FixedState.ExpectedDiagnostics.AddRange([Diagnostic("EG1101", 0), Diagnostic("EG1102", 1)]);
        test.TestState.Sources.Add(("Vault.Enclave.g.cs", FakeGenerated));
        test.FixedState.Sources.Add(("Vault.Enclave.g.cs", FakeGenerated));
        await test.RunAsync();
    }

    [Fact]
    public async Task MakePartialAddsTheModifier()
    {
        string source = """
            using EnclaveGen;

            [Enclave]
            public sealed class {|#0:Vault|}
            {
            }
            """;
        string fixedSource = """
            using EnclaveGen;

            [Enclave]
            public sealed partial class Vault
            {
            }
            """;
        await new EnclaveCodeFixTest<EnclaveDeclarationAnalyzer, MakePartialCodeFixProvider>(source, fixedSource, Diagnostic("EG1002")).RunAsync();
    }
}
