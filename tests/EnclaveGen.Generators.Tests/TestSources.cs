namespace EnclaveGen.Generators.Tests;

/// <summary>Enclave sources shared by several tests.</summary>
internal static class TestSources
{
    /// <summary>A representative enclave: every kind this version carries, every direction, overloads, keywords as names.</summary>
    public const string Representative = """
        using System;
        using System.Collections.Generic;
        using EnclaveGen;

        namespace Contoso.Vault;

        public enum Level : short { Low = -1, High = 1 }

        public sealed record Tagged(string Key, int? Count, List<string> Tags);

        [Enclave]
        public partial class Vault
        {
            private string _last = "";

            [Trusted]
            public bool Check(string user, [Secret] string password)
            {
                _last = user;
                Audit(user, password.Length > 3);
                return password == "open sesame";
            }

            [Trusted] public string? Last(string? fallback) => _last.Length > 0 ? _last : fallback;

            [Trusted] [return: Secret] public byte[] Hash(byte[] data, in int rounds) => data;

            [Trusted]
            public void Counters(ref long total, out char first, ref byte[]? buffer, Level level)
            {
                total += (long)level;
                first = 'x';
                buffer = buffer is null ? null : new byte[buffer.Length + 1];
            }

            [Trusted] public double Scale(double value) => value * Factor(2.0);

            [Trusted] public double Scale(float value, sbyte shift) => value * shift;

            [Trusted] public int Keywords(int @event, string @class) => @event + @class.Length;

            [Trusted] public Tagged Tag(Tagged entry, params string[] tags) => entry with { Tags = [.. entry.Tags, .. tags] };

            [Trusted] public int Sum(ReadOnlySpan<int> values, [System.Runtime.InteropServices.Out] Span<byte> digest)
            {
                digest.Fill(1);
                int sum = 0;
                for (int i = 0; i < values.Length; i++) { sum += values[i]; }
                return sum;
            }

            [Trusted]
            public async System.Threading.Tasks.Task<int> CountAsync(Dictionary<string, int> counts, System.Threading.CancellationToken cancellationToken = default)
            {
                await System.Threading.Tasks.Task.Yield();
                return counts.Count + await Remote(counts.Count);
            }

            [Trusted] private void Reset(bool hard) => _last = hard ? "" : _last;

            [Untrusted]
            private static partial void Audit(string user, bool ok);

            [Untrusted]
            internal static partial double Factor(double value);

            [Untrusted(Allow = new[] { nameof(Reset) })]
            private static partial void Fill(out ulong counter, ref string? note);

            [Untrusted]
            private static partial System.Threading.Tasks.Task<int> Remote(int count);
        }
        """;

    /// <summary>The host half of a compile-and-run test of <see cref="Representative"/>.</summary>
    public const string RepresentativeHost = """
        using System.Collections.Generic;
        using System.Threading.Tasks;
        using EnclaveGen;

        namespace Contoso.Vault;

        public sealed class AuditLog : Vault.IUntrusted
        {
            public List<string> Lines { get; } = new();
            public void Audit(string user, bool ok) => Lines.Add($"{user}:{ok}");
            public double Factor(double value) => value * 10;
            public void Fill(out ulong counter, ref string? note) { counter = 7; note = "host"; }
            public async Task<int> Remote(int count) { await Task.Yield(); return count * 100; }
        }

        public static class Entry
        {
            public static async Task<string> RunAsync()
            {
                AuditLog log = new();
                await using Vault.Proxy vault = await Vault.CreateEnclaveAsync(log, new EnclaveGen.EnclaveOptions { Platform = EnclaveGen.EnclavePlatform.CreateInMemory(allowUnsignedImages: true) });
                bool wrong = vault.Check("alice", "guess");
                bool right = vault.Check("bob", "open sesame");
                long total = 40;
                byte[]? buffer = new byte[2];
                vault.Counters(ref total, out char first, ref buffer, Level.High);
                double scaled = vault.Scale(1.5);
                Tagged tagged = vault.Tag(new Tagged("k", null, new List<string> { "a" }), "b", "c");
                byte[] digest = new byte[2];
                int sum = vault.Sum(new[] { 1, 2, 3 }, digest);
                int count = await vault.CountAsync(new Dictionary<string, int> { ["x"] = 1 });
                return $"{wrong} {right} {string.Join(",", log.Lines)} {vault.Last(null)} {total} {first} {buffer!.Length} {scaled} {vault.Keywords(2, "abc")} "
                    + $"{tagged.Key}:{tagged.Count?.ToString() ?? "null"}:{string.Join("", tagged.Tags)} {sum}:{digest[0]}{digest[1]} {count}";
            }
        }
        """;
}
