using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;

namespace EnclaveGen.Analyzers.Tests;

/// <summary>The marshalling rules (EG2001 reasons, EG2002, EG2003) and private ECALLs (EG1014, EG1015), firing and not firing.</summary>
public sealed class MarshallingDiagnosticsTests
{
    [Fact]
    public Task EG2001_EveryKindThatCrossesIsAccepted() => Verify("""
        public enum Level { Low, High }
        public sealed record Address(string Street, string? City);
        public sealed class Node { public int Value { get; set; } public Node? Next { get; set; } }
        public struct Point { public int X; public int Y; }

        [Enclave]
        public partial class Vault
        {
            [Trusted] public decimal A(decimal d, Guid g, DateTime t, DateTimeOffset o, TimeSpan s, DateOnly day, TimeOnly time, Half h, Int128 i, UInt128 u) => d;
            [Trusted] public int? B(int? n, Level? l, Point? p) => n;
            [Trusted] public int[][] C(int[][] jagged, string?[] names, List<Address> addresses, HashSet<Guid> ids) => jagged;
            [Trusted] public Dictionary<string, List<int>> D(Dictionary<string, List<int>> d, IReadOnlyDictionary<int, string> r) => d;
            [Trusted] public IReadOnlyList<string> E(IEnumerable<string> e, IReadOnlyCollection<int> c, IReadOnlySet<long> s) => [];
            [Trusted] public (int, string) F((int Count, string Label) pair, Node node) => pair;
            [Trusted] public int G(ReadOnlySpan<byte> data, [Out] Span<byte> output, [In, Out] int[] inOut, ReadOnlyMemory<char> text, [Out] Memory<int> filled) => 0;
            [Trusted] public async Task<Address> H(Address a, CancellationToken cancellationToken) { await Task.Yield(); return a; }
            [Trusted] public ValueTask I() => default;
            [Untrusted] private static partial Task<int> J(string s);
        }
        """);

    [Fact]
    public Task EG2001_ShapesThatCannotCrossSayWhy() => Verify("""
        public class Open { public int X { get; set; } }
        public sealed class TwoConstructors { public TwoConstructors(int a) { } public TwoConstructors(string b) { } public int A { get; } }
        public sealed class Unmatched { public Unmatched(int secret) { } public int Other { get; set; } }
        public sealed record WithObject(object Payload);
        public sealed class Holder { public Open? Inner { get; set; } }
        [System.Runtime.CompilerServices.InlineArray(4)] public struct Four { private int _element; }

        [Enclave]
        public partial class Vault
        {
            [Trusted] public int A(Open {|#0:open|}) => 1;
            [Trusted] public int B(TwoConstructors {|#1:two|}) => 1;
            [Trusted] public int C(Unmatched {|#2:unmatched|}) => 1;
            [Trusted] public int D(List<WithObject> {|#3:items|}) => 1;
            [Trusted] public int E(Holder {|#4:holder|}) => 1;
            [Trusted] public {|#5:Span<byte>|} F() => default;
            [Trusted] public int G(Task {|#6:task|}) => 1;
            [Trusted] public int H(int[,] {|#7:grid|}) => 1;
            [Trusted] public int I(Dictionary<string?, int> {|#8:map|}) => 1;
            [Trusted] public async Task<int> J(ReadOnlyMemory<byte> ok, int[] values, ref int {|#9:x|}) { await Task.Yield(); return 1; }
            [Untrusted] private static partial void K(CancellationToken {|#10:token|});
            [Trusted] public int L(CancellationToken a, CancellationToken {|#11:b|}) => 1;
            [Trusted] public int M(Uri {|#12:uri|}) => 1;
            [Trusted] public int N(Four {|#13:four|}) => 1;
        }
        """,
        Cannot(0, "Parameter 'open'", "A", "Open", "'Open' is an unsealed class, so a derived instance would arrive cut down to 'Open'; seal it (sealed class or sealed record)"),
        Cannot(1, "Parameter 'two'", "B", "TwoConstructors", "'TwoConstructors' has several public constructors with parameters, so the receiver would not know which to call; keep one, or add a parameterless one"),
        Cannot(2, "Parameter 'unmatched'", "C", "Unmatched", "constructor parameter 'secret' of 'Unmatched' matches no public member of the same type, so its value could not cross"),
        Cannot(3, "Parameter 'items'", "D", "System.Collections.Generic.List<WithObject>", "WithObject.Payload: object has no shape the boundary can copy; use a concrete type"),
        Cannot(4, "Parameter 'holder'", "E", "Holder", "Holder.Inner: 'Open' is an unsealed class, so a derived instance would arrive cut down to 'Open'; seal it (sealed class or sealed record)"),
        Cannot(5, "The return value", "F", "System.Span<byte>", "a span cannot outlive the call that carries it; return or nest an array or Memory<T> instead"),
        Cannot(6, "Parameter 'task'", "G", "System.Threading.Tasks.Task", "a task is not data; only a method's return type may be Task or ValueTask"),
        Cannot(7, "Parameter 'grid'", "H", "int[*,*]", "multi-dimensional arrays are not supported; use a jagged array (T[][]) or a flat array"),
        Cannot(8, "Parameter 'map'", "I", "System.Collections.Generic.Dictionary<string?, int>", "dictionary keys cannot be null; use a non-nullable key type"),
        Cannot(9, "Parameter 'x'", "J", "int", "an asynchronous method cannot take ref, out or in parameters or spans; return the values in the task's result, and pass Memory<T> instead of a span"),
        Cannot(10, "Parameter 'token'", "K", "System.Threading.CancellationToken", "an OCALL cannot carry a CancellationToken; check the token in trusted code before the OCALL"),
        Cannot(11, "Parameter 'b'", "L", "System.Threading.CancellationToken", "a method takes at most one CancellationToken"),
        Cannot(12, "Parameter 'uri'", "M", "System.Uri", "'System.Uri' is a framework type the boundary does not know how to copy"),
        Cannot(13, "Parameter 'four'", "N", "Four", "'Four' is an inline array, whose elements are no public members and would not cross; pass an array or a span of its elements"));

    [Fact]
    public Task EG2002_OutOnlyWhereTheCalleeCanFill() => Verify("""
        [Enclave]
        public partial class Vault
        {
            [Trusted] public void A([Out] byte[] fine, [Out] Span<int> alsoFine, [In, Out] Memory<long> fineToo) { }
            [Trusted] public void B([Out] string {|#0:text|}) { }
            [Trusted] public void C([Out] ReadOnlySpan<byte> {|#1:data|}) { }
            [Trusted] public void D([Out] ref byte[] {|#2:data|}) { }
            [Trusted] public void E([Out] List<int> {|#3:items|}) { }
            [Trusted] public void F([Out] Span<string> {|#4:names|}) { }
            [Untrusted] private static partial void G([Out] byte[] hostFills);
        }
        """,
        Out(0, "text", "B", "'string' is immutable, so the callee cannot fill it"),
        Out(1, "data", "C", "'System.ReadOnlySpan<byte>' is immutable, so the callee cannot fill it"),
        Out(2, "data", "D", "it is already 'ref'; [Out] is for arrays, spans and Memory<T> passed by value"),
        Out(3, "items", "E", "[Out] applies to arrays, Span<T> and Memory<T>; to return a 'System.Collections.Generic.List<int>', use the return value or an out parameter"),
        Out(4, "names", "F", "a span or Memory<T> the callee fills must hold fixed-size primitives or enums; use an array for other element types"));

    [Fact]
    public Task EG2003_WritesToAnInOnlyBufferAreFlagged() => DeclarationVerifier.VerifyAsync<MissingOutDirectionAnalyzer>("""
        [Enclave]
        public partial class Vault
        {
            [Trusted] public void A(byte[] {|#0:data|}) { {|#10:data[0] = 1|}; }
            [Trusted] public void B(Span<int> {|#1:values|}) { {|#11:values.Fill(7)|}; }
            [Trusted] public void C(Memory<byte> {|#2:memory|}) { {|#12:System.Security.Cryptography.RandomNumberGenerator.Fill(memory.Span)|}; }
            [Trusted] public void D(int[] {|#3:sorted|}) { {|#13:Array.Sort(sorted)|}; }
            [Trusted] public void E(int[] {|#4:counts|}) { {|#14:counts[1]++|}; counts[2] += 3; }
            [Trusted] public int Reads(byte[] data, ReadOnlySpan<int> values, Span<int> span) { int sum = data[0] + values[0] + span[0]; data.AsSpan().CopyTo(new byte[data.Length]); return sum; }
            [Trusted] public void Marked([Out] byte[] output, [In, Out] Span<int> values) { output[0] = 1; values.Clear(); }
            [Trusted] public void Local(byte[] data) { byte[] copy = (byte[])data.Clone(); copy[0] = 1; }
            public void NotBoundary(byte[] data) { data[0] = 1; }
        }
        """,
        Missing(0, 10, "A", "data"),
        Missing(1, 11, "B", "values"),
        Missing(2, 12, "C", "memory"),
        Missing(3, 13, "D", "sorted"),
        Missing(4, 14, "E", "counts"));

    [Fact]
    public Task EG1014_and_EG1015_PrivateEcallsAndAllowLists() => Verify("""
        [Enclave]
        public partial class Vault
        {
            [Trusted] private int Refill(int amount) => amount;
            [Trusted] private void {|#0:Forgotten|}() { }
            [Trusted] public int Open() => 1;
            [Untrusted(Allow = new[] { nameof(Refill) })] private static partial int NeedMore(int amount);
            [Untrusted(Allow = new[] { "Missing", nameof(Open) })] private static partial void {|#1:{|#2:Wrong|}|}();
        }
        """,
        new DiagnosticResult("EG1014", DiagnosticSeverity.Warning).WithLocation(0).WithArguments("Forgotten"),
        new DiagnosticResult("EG1015", DiagnosticSeverity.Error).WithLocation(1).WithArguments("Wrong", "Missing", "is not a [Trusted] method of this enclave"),
        new DiagnosticResult("EG1015", DiagnosticSeverity.Error).WithLocation(2).WithArguments("Wrong", "Open", "is a public ECALL, which the host may call at any time; only private ECALLs need allowing"));

    private static Task Verify(string source, params DiagnosticResult[] expected) =>
        DeclarationVerifier.VerifyAsync<EnclaveDeclarationAnalyzer>(source, expected);

    private static DiagnosticResult Cannot(int location, string role, string method, string type, string reason) =>
        new DiagnosticResult("EG2001", DiagnosticSeverity.Error).WithLocation(location).WithArguments(role, method, type, reason);

    private static DiagnosticResult Out(int location, string parameter, string method, string problem) =>
        new DiagnosticResult("EG2002", DiagnosticSeverity.Error).WithLocation(location).WithArguments(parameter, method, problem);

    /// <summary>Reported at the parameter, with the first write as the additional location.</summary>
    private static DiagnosticResult Missing(int location, int write, string method, string parameter) =>
        new DiagnosticResult("EG2003", DiagnosticSeverity.Warning).WithLocation(location).WithLocation(write).WithArguments(method, parameter);
}
