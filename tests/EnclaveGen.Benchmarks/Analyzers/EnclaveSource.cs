using System.Globalization;
using System.Text;

namespace EnclaveGen.Benchmarks.Analyzers;

/// <summary>
/// Writes a large enclave for the analyzer benchmark: <c>methods</c> [Trusted] methods over
/// <c>files</c> partial files, in five shapes that exercise what the analyzers follow
/// (secrets and declassification, loops and collections, helpers, LINQ and lambdas, tuples and
/// out parameters, OCALLs with public data). It has no leaks, as a finished enclave would not.
/// </summary>
internal static class EnclaveSource
{
    /// <summary>The implementation parts of the two OCALLs, as the generator would write them (left out where the generator runs).</summary>
    public const string OcallImplementations = """
            private static partial void Audit(string user, string detail) { }
            private static partial void Send(int value) { }
        """;

    public static IReadOnlyList<string> Generate(int methods, int files)
    {
        var texts = new List<string>();
        int perFile = (methods + files - 1) / files;
        for (int file = 0; file < files; file++)
        {
            var sb = new StringBuilder();
            sb.AppendLine("using System;");
            sb.AppendLine("using System.Collections.Generic;");
            sb.AppendLine("using System.Linq;");
            sb.AppendLine("using System.Security.Cryptography;");
            sb.AppendLine("using System.Text;");
            sb.AppendLine("using EnclaveGen;");
            sb.AppendLine();
            sb.AppendLine("namespace Bench;");
            sb.AppendLine();
            if (file == 0)
            {
                sb.AppendLine("[Enclave]");
            }

            sb.AppendLine("public partial class BigVault");
            sb.AppendLine("{");
            if (file == 0)
            {
                sb.AppendLine("""
                        [Secret] private readonly byte[] _key = new byte[32];
                        private int _counter;
                        private string _last = "";

                        [Untrusted] private static partial void Audit(string user, string detail);
                        [Untrusted] private static partial void Send(int value);
                    """);
                sb.AppendLine(OcallImplementations);
                sb.AppendLine("""

                        private static string Mask(string s) => s.Length > 2 ? s.Substring(0, 2) + "***" : "***";

                        private int Mix(int a, int b)
                        {
                            int x = a;
                            for (int i = 0; i < 8; i++) { x = (x * 31) ^ b; }
                            return x;
                        }
                    """);
            }

            for (int i = file * perFile; i < Math.Min(methods, (file + 1) * perFile); i++)
            {
                sb.AppendLine(Method(i));
            }

            sb.AppendLine("}");
            texts.Add(sb.ToString());
        }

        return texts;
    }

    private static string Method(int i)
    {
        string n = i.ToString(CultureInfo.InvariantCulture);
        return (i % 5) switch
        {
            0 => $$"""
                    [Trusted]
                    public int M{{n}}(string user, [Secret] string password)
                    {
                        string line = user + ":{{n}}";
                        if (user.Length > 3) { Audit(user, line); }
                        var parts = new List<string> { user, line };
                        int total = 0;
                        foreach (var p in parts) { total += p.Length; }
                        _counter += total;
                        return Secrets.Declassify(password.Length > 8, "length policy is public") ? total : -total;
                    }
                """,
            1 => $$"""
                    [Trusted]
                    public string M{{n}}(string user, int count)
                    {
                        var sb = new StringBuilder();
                        for (int k = 0; k < count; k++) { sb.Append(user).Append(k); }
                        _last = sb.ToString();
                        return Mask(_last);
                    }
                """,
            2 => $$"""
                    [Trusted]
                    public bool M{{n}}([Secret] byte[] candidate)
                    {
                        bool ok = CryptographicOperations.FixedTimeEquals(candidate, _key);
                        return Secrets.Declassify(ok, "one bit: whether it matched");
                    }
                """,
            3 => $$"""
                    [Trusted]
                    public int M{{n}}(int a, int b)
                    {
                        var values = Enumerable.Range(0, a).Select(v => v * b).Where(v => v % 3 == 0).ToArray();
                        Send(values.Length);
                        return Mix(a, values.Length);
                    }
                """,
            _ => $$"""
                    [Trusted]
                    public void M{{n}}(string user, [Secret] int pin, out int code)
                    {
                        int local = pin ^ 0x5A5A;
                        (int x, int y) = (local, {{n}});
                        code = Secrets.Declassify(x & 1, "parity is public") + y;
                        Audit(user, $"call {{n}}");
                    }
                """,
        };
    }
}
