using System.Globalization;
using System.Security.Cryptography;

namespace EnclaveGen.Runtime.Tests.Platform;

/// <summary>
/// Counts the copies of a 32-byte value in this process's readable memory (Linux: the regions of
/// /proc/self/maps, read through /proc/self/mem), knowing only its first four bytes and its
/// SHA-256, so the scan itself holds no copy.
/// </summary>
internal static class OwnMemory
{
    private const int Chunk = 4 << 20;

    public static int Count(ReadOnlySpan<byte> prefix, ReadOnlySpan<byte> hash)
    {
        byte[] prefixCopy = prefix.ToArray();
        byte[] hashCopy = hash.ToArray();
        int hits = 0;
        byte[] buffer = new byte[Chunk + 32];
        using FileStream memory = new("/proc/self/mem", FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0);
        foreach (string line in File.ReadAllLines("/proc/self/maps"))
        {
            string[] fields = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 2 || fields[1][0] != 'r' || line.Contains("[vvar", StringComparison.Ordinal) || line.Contains("[vsyscall]", StringComparison.Ordinal))
            {
                continue;
            }

            string[] range = fields[0].Split('-');
            long start = long.Parse(range[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            long end = long.Parse(range[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            for (long at = start; at < end; at += Chunk)
            {
                int want = (int)Math.Min(Chunk + 31, end - at);
                int got;
                // Cleared first: when the scan reaches its own buffer, it must find zeros there, not the last chunk.
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

                hits += CountIn(buffer.AsSpan(0, got), prefixCopy, hashCopy);
            }
        }

        CryptographicOperations.ZeroMemory(buffer);
        return hits;
    }

    private static int CountIn(ReadOnlySpan<byte> data, byte[] prefix, byte[] hash)
    {
        int hits = 0;
        Span<byte> digest = stackalloc byte[32];
        int from = 0;
        while (true)
        {
            int found = data[from..].IndexOf(prefix);
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
