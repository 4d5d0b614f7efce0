using System.Text;

namespace EnclaveGen.Benchmarks.Generator;

/// <summary>
/// The source of one [Enclave] class with a thousand [Trusted] methods whose signatures cycle
/// through the kinds the boundary carries (primitives, strings, arrays, spans in and [Out],
/// collections, records, nullable values, ref/out, async), plus a few [Untrusted] ones.
/// </summary>
internal static class LargeEnclaveSource
{
    /// <summary>The method whose body the incremental benchmark edits.</summary>
    public const string EditedBody = "=> a + b + 0;";

    private static readonly string[] s_signatures =
    [
        "public int Add{0}(int a, int b) " + EditedBody,
        "public string Echo{0}(string value) => value;",
        "public byte[] Bytes{0}(byte[] data) => data;",
        "public int Count{0}(List<string> items) => items.Count;",
        "public bool Has{0}(Dictionary<string, int> map, string key) => map.ContainsKey(key);",
        "public Order Order{0}(Order order) => order;",
        "public int Checksum{0}(ReadOnlySpan<byte> data) => data.Length;",
        "public void Fill{0}([Out] Span<byte> buffer) => buffer.Clear();",
        "public void Directions{0}(ref int counter, out string label) {{ counter++; label = \"x\"; }}",
        "public long Mixed{0}(decimal amount, Guid id, DateTime at, TimeSpan span) => at.Ticks;",
        "public string? Maybe{0}(int? value, string? text) => text;",
        "public async Task<int> Later{0}(int value) {{ await Task.Yield(); return value; }}",
        "public int[] Ints{0}(int[] values, HashSet<int> seen) => values;",
        "public IReadOnlyList<string> Split{0}(string text) => text.Split(',');",
        "public (int Count, string Label) Pair{0}((int Count, string Label) value) => value;",
        "public Point Move{0}(Point point, Color color) => point;",
    ];

    /// <summary>The source; the first method is <c>Add0</c>, whose body is <see cref="EditedBody"/>.</summary>
    public static string Create(int methods)
    {
        StringBuilder source = new();
        source.AppendLine("""
            using System;
            using System.Collections.Generic;
            using System.Runtime.InteropServices;
            using System.Threading.Tasks;
            using EnclaveGen;

            namespace Bench;

            public sealed record Address(string Street, string City, string? Region);
            public sealed record Customer(string Name, Address Address);
            public sealed record OrderLine(string Sku, int Quantity, decimal Price);
            public sealed record Order(string Id, Customer Customer, List<OrderLine> Lines, decimal Total);
            public struct Point { public int X; public int Y; }
            public enum Color : byte { Red, Green }

            [Enclave]
            public partial class Large
            {
            """);
        for (int i = 0; i < methods; i++)
        {
            source.Append("    [Trusted] ").AppendFormat(s_signatures[i % s_signatures.Length], i).AppendLine();
        }

        source.AppendLine("""
                [Untrusted] private static partial void Log(string message);
                [Untrusted] private static partial int HostAdd(int a, int b);
                [Untrusted] private static partial Task<Order> HostOrderAsync(string id);
            }
            """);
        return source.ToString();
    }
}
