using Basic.Reference.Assemblies;
using EnclaveGen.Analyzers;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;

namespace EnclaveGen.Analyzers.Tests;

/// <summary>Each attribute-misuse rule (EG10xx) and EG2001, firing and not firing.</summary>
public sealed class EnclaveDeclarationAnalyzerTests
{
    [Fact]
    public Task CleanEnclaveHasNoDiagnostics() => Verify("""
        [Enclave]
        public partial class Vault
        {
            public Vault() { }
            [Trusted] public bool Check(string user, [Secret] string password) { Audit(user); return password.Length > 3; }
            [Trusted] public int Count(ref int x, out string s, in long l) { s = ""; return x; }
            [Trusted] private void Refill(int amount) { }
            [Untrusted(Allow = new[] { nameof(Refill) })] private static partial void Audit(string user);
            [Untrusted] internal static partial int Ask(out byte answer);
        }
        """);

    [Fact]
    public Task EG1001_BoundaryMethodOutsideEnclave() => Verify("""
        public class Plain
        {
            [Trusted] public int {|EG1001:A|}() => 1;
            [Untrusted] private static partial void {|EG1001:B|}();
            public int NotBoundary() => 1;
        }
        """.Replace("public class Plain", "public partial class Plain"));

    [Fact]
    public Task EG1002_EnclaveNotPartial() => Verify("""
        [Enclave]
        public class {|EG1002:Vault|}
        {
            [Trusted] public int A() => 1;
        }
        """);

    [Fact]
    public Task EG1003_ConstructorWithParameters() => Verify("""
        [Enclave]
        public partial class Vault
        {
            public Vault() { }
            public {|EG1003:Vault|}(int seed) { }
            [Trusted] public int A() => 1;
        }
        """);

    [Fact]
    public Task EG1004_UntrustedWithoutAccessibility() => Verify("""
        [Enclave]
        public partial class Vault
        {
            [Untrusted] static partial void {|EG1004:Audit|}(string user);
            [Untrusted] private static partial void Fine(string user);
        }
        """);

    [Fact]
    public Task EG1005_UntrustedWithBody() => Verify("""
        [Enclave]
        public partial class Vault
        {
            [Untrusted] private static void {|EG1005:{|EG1006:Audit|}|}(string user) { }
        }
        """);

    /// <summary>A partial OCALL with a body and no declaration is also CS0759: the generator reports EG1005 there (BrokenDeclarationTests).</summary>
    [Fact]
    public Task EG1005_WhereTheCSharpIsBrokenIsLeftToTheGenerator() => Verify("""
        [Enclave]
        public partial class Vault
        {
            [Untrusted] private static partial void Audit(string user) { }
        }
        """);

    [Fact]
    public Task EG1006_UntrustedNotStaticPartial() => Verify("""
        [Enclave]
        public partial class Vault
        {
            [Untrusted] private partial void {|EG1006:Instance|}(string user);
            [Untrusted] private static void {|EG1005:{|EG1006:NotPartial|}|}(string user) { }
        }
        """);

    [Fact]
    public Task EG1007_TrustedNotInstance() => Verify("""
        [Enclave]
        public partial class Vault
        {
            [Trusted] public static int {|EG1007:Static|}() => 1;
            [Trusted] public int Instance() => 1;
        }
        """);

    [Fact]
    public Task EG1008_TrustedAndUntrusted() => Verify("""
        [Enclave]
        public partial class Vault
        {
            [Trusted, Untrusted] public void {|EG1008:Both|}() { }
        }
        """);

    [Fact]
    public Task EG1009_GenericBoundaryMember() => Verify("""
        [Enclave]
        public partial class Vault
        {
            [Trusted] public int {|EG1009:Generic|}<T>(int x) => x;
        }

        [Enclave]
        public partial class {|EG1009:Box|}<T>
        {
        }
        """);

    [Fact]
    public Task EG1010_EnclaveNotTopLevel() => Verify("""
        public partial class Outer
        {
            [Enclave]
            public partial class {|EG1010:Inner|} { }
        }

        [Enclave]
        public abstract partial class {|EG1010:Abstract|} { }

        [Enclave]
        public static partial class {|EG1010:Static|} { }
        """);

    [Fact]
    public Task EG1011_ReservedMemberName() => Verify("""
        [Enclave]
        public partial class Vault
        {
            public int {|EG1011:Proxy|} => 1;
            private int {|EG1011:EnclaveGenState|};
            [Trusted] public int {|EG1011:DisposeAsync|}() => 0;
            [Trusted] public int Fine() => EnclaveGenState;
        }
        """);

    [Fact]
    public Task EG1011_TrustedApplicationIsReserved() => Verify("""
        [Enclave]
        public partial class Vault
        {
            public static int {|EG1011:TrustedApplication|} => 1;
            [Trusted] public int Fine() => 1;
        }
        """);

    [Fact]
    public Task EG1016_TrustedApplicationUuidMustBeAUuid() => Verify("""
        [Enclave, {|EG1016:TrustedApplication("{8aaaf200-2450-11e4-abe2-0002a5d5c51b}")|}]
        public partial class Braces { [Trusted] public int One() => 1; }

        [Enclave, {|EG1016:TrustedApplication("8aaaf20024502450abe20002a5d5c51b")|}]
        public partial class NoDashes { [Trusted] public int One() => 1; }

        [Enclave, {|EG1016:TrustedApplication("not a uuid")|}]
        public partial class Text { [Trusted] public int One() => 1; }

        [Enclave, {|EG1016:TrustedApplication(null!)|}]
        public partial class Null { [Trusted] public int One() => 1; }

        [Enclave, TrustedApplication("8AAAF200-2450-11e4-abe2-0002a5d5c51b")]
        public partial class Fine { [Trusted] public int One() => 1; }

        [Enclave]
        public partial class Derived { [Trusted] public int One() => 1; }
        """);

    [Fact]
    public Task EG2001_TypeCannotCross() => Verify("""
        internal sealed class Hidden { }

        [Enclave]
        public partial class Vault
        {
            [Trusted] public int Takes(object {|EG2001:o|}) => 1;
            [Trusted] public {|EG2001:IntPtr|} Handle() => default;
            [Trusted] public int Calls(Action {|EG2001:callback|}) => 1;
            [Trusted] public int Compare(IComparer<int> {|EG2001:comparer|}) => 1;
            [Trusted] public {|EG2001:Hidden|} NotPublic() => new Hidden();
            [Trusted] public int Fine(int a, string? b, byte[] c, DayOfWeek d) => a;
            [Untrusted] private static partial {|EG2001:object|} Boxed();
        }
        """);

    [Fact]
    public Task EG2001_MessageSaysWhyAndWhat() => Verify(
        """
        [Enclave]
        public partial class Vault
        {
            [Trusted] public int Takes(object {|#0:o|}) => 1;
        }
        """,
        new DiagnosticResult("EG2001", DiagnosticSeverity.Error)
            .WithLocation(0)
            .WithArguments("Parameter 'o'", "Takes", "object", "object has no shape the boundary can copy; use a concrete type"));

    [Fact]
    public Task InternalEnclaveMayUseInternalTypes() => Verify("""
        internal sealed class Hidden { }

        [Enclave]
        internal partial class Vault
        {
            [Trusted] public int Fine(int a) => a;
        }
        """);

    private static Task Verify(string source, params DiagnosticResult[] expected)
    {
        CSharpAnalyzerTest<EnclaveDeclarationAnalyzer, DefaultVerifier> test = new()
        {
            TestCode = "using System;\nusing System.Collections.Generic;\nusing System.Threading.Tasks;\nusing EnclaveGen;\n\n" + source,
            // Offline: .NET 10 reference assemblies from Basic.Reference.Assemblies, no package download.
            ReferenceAssemblies = new ReferenceAssemblies("net10.0"),
            // The generator would supply the [Untrusted] bodies; here only the analyzer runs.
            CompilerDiagnostics = CompilerDiagnostics.None,
        };
        test.TestState.AdditionalReferences.AddRange(Net100.References.All);
        test.TestState.AdditionalReferences.Add(typeof(EnclaveAttribute).Assembly);
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync();
    }
}
