using EnclaveGen.Analyzers.Tests.Infrastructure;

namespace EnclaveGen.Analyzers.Tests.Taint;

/// <summary>
/// The analyzers must not throw (AD0001) or hang on any C# they meet in trusted code. This
/// enclave uses the constructs the control flow graph lowers in unusual ways; the leaks planted
/// in it must still be found.
/// </summary>
public sealed class RobustnessTests
{
    private const string Source = """
        using System;
        using System.Collections.Generic;
        using System.IO;
        using System.Linq;
        using System.Threading;
        using System.Threading.Tasks;
        using EnclaveGen;

        [Enclave]
        public partial class Vault
        {
            private readonly object _gate = new();
            private readonly Dictionary<string, byte[]> _store = new();
            private List<int>? _numbers;

            [Trusted]
            public async Task<int> Everything(string user, [Secret] string password, int n)
            {
                int total = 0;
                try
                {
                    lock (_gate) { total += user.Length; }
                    using (var ms = new MemoryStream()) { ms.WriteByte(1); total += (int)ms.Length; }
                    switch (n)
                    {
                        case 0: total++; goto case 1;
                        case 1: total += 2; break;
                        case > 10 when user.Length > 2: total--; break;
                        default: break;
                    }

                    foreach (var (key, value) in _store) { total += key.Length + value.Length; }
                    _numbers ??= new List<int>();
                    total += _numbers?.Count ?? 0;
                    total += Stack(n);
                    object boxed = total;
                    if (boxed is int { } unboxed and > 3) { total = unboxed; }
                    total += await Task.FromResult(n);
                    int Fib(int k) => k < 2 ? k : Fib(k - 1) + Fib(k - 2);
                    total += Fib(5);
                    Func<int, Func<int, int>> adder = a => b => a + b;
                    total += adder(1)(2);
                    var query = from c in user where c != 'x' select char.ToUpperInvariant(c);
                    total += query.Count();
                    label:
                    if (total < 0) { total++; goto label; }
                }
                catch (InvalidOperationException ex) when (ex.Message.Length > 0)
                {
                    Audit(user, ex.Message);
                }
                catch
                {
                    throw;
                }
                finally
                {
                    total += 1;
                }

                Audit(user, {|#0:password|});
                return total;
            }

            private static int Stack(int n)
            {
                Span<byte> buffer = stackalloc byte[16];
                buffer[n & 15] = 1;
                ref byte first = ref buffer[0];
                first = 2;
                return buffer.Length + first;
            }

            [Trusted]
            public IEnumerable<int> Numbers([Secret] int seed)
            {
                for (int i = 0; i < 3; i++) { yield return i; }
            }

            [Trusted]
            public int Recursive(int depth, [Secret] int pin) => depth <= 0 ? 0 : Recursive(depth - 1, pin) + Helper(pin);

            private int Helper(int x) => x > 0 ? Helper(x - 1) : 0;

            [Trusted]
            public string Nested([Secret] string password)
            {
                string Outer(string a)
                {
                    string Inner(string b) => b + a;
                    return Inner("x");
                }

                Audit("u", {|#1:Outer(password)|});
                return "ok";
            }

            [Untrusted] private static partial void Audit(string user, string detail);
            [Untrusted] private static partial void Send(int value);
        }

        """ + EnclaveTestSetup.OcallImplementations;

    [Fact]
    public async Task UnusualControlFlowNeitherCrashesNorHidesTheLeaks()
    {
        var diagnostics = await AnalyzerHarness.AnalyzeAsync([("Vault.cs", Source.Replace("{|#0:", "").Replace("{|#1:", "").Replace("|}", ""))]);
        var leaks = diagnostics.Where(d => d.Id == "EG3001").Select(d => d.Location.GetLineSpan().StartLinePosition.Line + 1).ToList();
        int first = LineOf("{|#0:");
        int second = LineOf("{|#1:");
        Assert.Contains(first, leaks);
        Assert.Contains(second, leaks);
    }

    [Theory]
    [InlineData("int F(int k) { return k; } total += F(2);")]
    [InlineData("Func<int, Func<int, int>> adder = a => b => a + b; total += adder(1)(2);")]
    [InlineData("string Outer(string a) { string Inner(string b) => b + a; return Inner(\"x\"); } total += Outer(\"y\").Length;")]
    public async Task LambdasAndLocalFunctionsInsideTryFinallyOfAnAsyncMethodAreFollowed(string body)
    {
        // Their graphs' regions continue into the enclosing method's try region (this used to throw).
        string source = "using System; using System.Threading.Tasks; using EnclaveGen; [Enclave] public partial class Vault { "
            + "[Trusted] public async Task<int> M([Secret] string password) { int total = 0; try { total += await Task.FromResult(1); "
            + body + " total += password.Length; } catch { throw; } finally { total++; } return total; } }";
        var diagnostics = await AnalyzerHarness.AnalyzeAsync([("a.cs", source)]);
        Assert.Contains(diagnostics, d => d.Id == "EG3002");
    }

    /// <summary>
    /// Generic and recent C# shapes a secret passes through: each snippet sends the secret on (so the
    /// analysis must follow it to the OCALL) and none may make an analyzer throw. The type-parameter
    /// shapes are where an object typed by a type parameter declared in source once did (AD0001).
    /// </summary>
    [Theory]
    [InlineData("T Id<T>(T v) => v; Publish(Id(password));")]
    [InlineData("T Make<T>(string s) where T : IParsable<T> => T.Parse(s, null); Publish(Make<int>(pinText).ToString());")]
    [InlineData("List<T> Wrap<T>(T v) => [v]; Publish(Wrap(password)[0]);")]
    [InlineData("var box = new Box<string>(password); Publish(box.Value);")]
    [InlineData("var box = new Box<string>(password); Publish(box.ToString() ?? \"\");")]
    [InlineData("var pair = new Pair<string, int>(password, 1); Publish($\"{pair}\");")]
    [InlineData("IEnumerable<T> Many<T>(T v) { yield return v; } foreach (var x in Many(password)) { Publish(x); }")]
    [InlineData("var g = new Generic<string>(); g.Put(password); Publish(g.Take());")]
    [InlineData("object o = password; if (o is string { Length: > 0 } s) { Publish(s); }")]
    [InlineData("string[] parts = [password, \"x\"]; if (parts is [var first, ..]) { Publish(first); }")]
    [InlineData("ReadOnlySpan<char> span = password; Publish(span[..1].ToString());")]
    [InlineData("var buffer = new Inline4(); buffer[0] = password; Publish(buffer[0]);")]
    [InlineData("Func<string, string> f = static s => s.Trim(); Publish(f(password));")]
    [InlineData("dynamic d = password; Publish((string)d);")]
    [InlineData("var q = from c in password group c by c into g let n = g.Count() select g.Key + n; Publish(string.Concat(q));")]
    [InlineData("Publish(password.Shout());")]
    public async Task GenericAndRecentShapesDoNotThrowAndStillFindTheLeak(string body)
    {
        string source = """
            using System;
            using System.Collections.Generic;
            using System.Linq;
            using System.Runtime.CompilerServices;
            using EnclaveGen;

            public sealed class Box<T>(T value) { public T Value { get; } = value; public override string ToString() => "box " + Value; }
            public sealed record Pair<TA, TB>(TA First, TB Second);
            public sealed class Generic<T> { private T? _item; public void Put(T item) => _item = item; public T Take() => _item!; }
            [InlineArray(4)] public struct Inline4 { private string _element; }
            public static class Extensions { extension(string s) { public string Shout() => s.ToUpperInvariant(); } }

            [Enclave]
            public partial class Vault
            {
                [Trusted]
                public void M([Secret] string password, [Secret] string pinText)
                {
                    BODY
                }

                [Untrusted] private static partial void Publish(string text);
            }

            partial class Vault
            {
                private static partial void Publish(string text) { }
            }
            """.Replace("BODY", body, StringComparison.Ordinal);
        var diagnostics = await AnalyzerHarness.AnalyzeAsync([("a.cs", source)]);
        Assert.Contains(diagnostics, d => d.Id == "EG3001");
    }

    private static int LineOf(string marker) => Source.Split('\n').ToList().FindIndex(l => l.Contains(marker, StringComparison.Ordinal)) + 1;
}
