using System.Globalization;
using System.Security.Cryptography;

namespace EnclaveGen.Tests;

/// <summary>
/// Searches a process's readable memory (its /proc/&lt;pid&gt;/maps regions, read through
/// /proc/&lt;pid&gt;/mem; "self" for this process) for a 32-byte secret, knowing only the secret's
/// first four bytes and its SHA-256: a scanner that held the secret itself would always find it, in
/// its own memory. Linked into the test projects that scan memory.
/// </summary>
internal static class MemoryScanner
{
    private const int Chunk = 4 << 20;

    public sealed record Result(int Hits, long BytesScanned, int Regions);

    public static Result Scan(string pid, byte[] prefix, byte[] hash)
    {
        int hits = 0;
        long scanned = 0;
        int regions = 0;
        byte[] buffer = new byte[Chunk + 32];
        using FileStream memory = new($"/proc/{pid}/mem", FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0);
        foreach (string line in File.ReadAllLines($"/proc/{pid}/maps"))
        {
            string[] fields = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 2 || fields[1][0] != 'r' || line.Contains("[vvar", StringComparison.Ordinal) || line.Contains("[vsyscall]", StringComparison.Ordinal))
            {
                continue;
            }

            string[] range = fields[0].Split('-');
            long start = long.Parse(range[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            long end = long.Parse(range[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            regions++;
            for (long at = start; at < end; at += Chunk)
            {
                // Read a little past the chunk, so a secret that straddles two chunks is found too.
                int want = (int)Math.Min(Chunk + 31, end - at);
                int got;

                // Cleared first: when a scan of this process reaches its own buffer, it must find zeros there, not the last chunk.
                CryptographicOperations.ZeroMemory(buffer);
                try
                {
                    memory.Seek(at, SeekOrigin.Begin);
                    got = memory.ReadAtLeast(buffer.AsSpan(0, want), want, throwOnEndOfStream: false);
                }
                catch (IOException)
                {
                    break;
                }

                scanned += Math.Min(got, Chunk);
                hits += Count(buffer.AsSpan(0, got), prefix, hash);
            }
        }

        CryptographicOperations.ZeroMemory(buffer);
        return new Result(hits, scanned, regions);
    }

    private static int Count(ReadOnlySpan<byte> data, byte[] prefix, byte[] hash)
    {
        int hits = 0;
        Span<byte> digest = stackalloc byte[32];
        int from = 0;
        while (true)
        {
            int found = data.Slice(from).IndexOf(prefix);
            if (found < 0)
            {
                return hits;
            }

            int at = from + found;
            if (at + 32 <= data.Length && SHA256.HashData(data.Slice(at, 32), digest) == 32 && digest.SequenceEqual(hash))
            {
                hits++;
            }

            from = at + 1;
        }
    }
}
