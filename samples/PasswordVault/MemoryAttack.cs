using System.Buffers;
using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace PasswordVault.Host;

/// <summary>
/// The insider reading memory, the way a host process can (Linux): every readable page of its own
/// process through /proc/self/mem, and its enclave's process through /proc/&lt;pid&gt;/mem.
/// </summary>
internal static class MemoryAttack
{
    private const int Chunk = 4 << 20;

    /// <summary>
    /// Counts the places in this process's readable memory that hold a secret of
    /// <paramref name="length"/> characters from <paramref name="alphabet"/> whose SHA-256 (of its
    /// ASCII bytes) is <paramref name="fingerprint"/>, written as ASCII/UTF-8 or as UTF-16. The
    /// search needs only the fingerprint, so the searcher never holds the secret itself.
    /// </summary>
    public static int FindInOwnMemory(ReadOnlySpan<byte> fingerprint, int length, string alphabet)
    {
        if (alphabet.Any(c => c > 127))
        {
            throw new ArgumentException("The alphabet must be ASCII.", nameof(alphabet));
        }

        Search search = new(fingerprint.ToArray(), length, alphabet);
        int hits = 0;
        // Chunks overlap by two secrets' worth of bytes, so a secret that straddles two is found too.
        int overlap = 2 * length;
        byte[] buffer = new byte[Chunk + overlap];
        using FileStream memory = new("/proc/self/mem", FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0);
        foreach ((long start, long end) in ReadableRegions("self"))
        {
            for (long at = start; at < end; at += Chunk)
            {
                int want = (int)Math.Min(Chunk + overlap, end - at);
                int got;
                try
                {
                    memory.Seek(at, SeekOrigin.Begin);
                    got = memory.ReadAtLeast(buffer.AsSpan(0, want), want, throwOnEndOfStream: false);
                }
                catch (IOException)
                {
                    break; // a mapping the kernel will not copy (a device, a guard page): nothing to find there
                }

                hits += Count(buffer.AsSpan(0, got), search);
            }
        }

        return hits;
    }

    /// <summary>The processes this process started that run EnclaveGen's enclave host (isolated enclaves).</summary>
    public static HashSet<int> EnclaveChildren()
    {
        HashSet<int> children = [];
        string self = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        foreach (string folder in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(folder), NumberStyles.None, CultureInfo.InvariantCulture, out int pid))
            {
                continue;
            }

            try
            {
                // stat: "pid (comm) state ppid ..."; comm may hold spaces, so read after the last ')'.
                string stat = File.ReadAllText(Path.Combine(folder, "stat"));
                string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (fields[1] == self && File.ReadAllText(Path.Combine(folder, "cmdline")).Contains("EnclaveGen.EnclaveHost", StringComparison.Ordinal))
                {
                    children.Add(pid);
                }
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                // The process ended while we looked, or is not ours to see.
            }
        }

        return children;
    }

    /// <summary>
    /// Opens /proc/&lt;pid&gt;/mem and reads 16 bytes at the process's first readable address.
    /// Returns null when that worked, or the name of the exception that refused it.
    /// </summary>
    public static string? TryReadProcessMemory(int pid)
    {
        try
        {
            using FileStream memory = new($"/proc/{pid}/mem", FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0);
            (long start, _) = ReadableRegions(pid.ToString(CultureInfo.InvariantCulture)).First();
            memory.Seek(start, SeekOrigin.Begin);
            memory.ReadExactly(new byte[16]);
            return null;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or EndOfStreamException)
        {
            return exception.GetType().Name;
        }
    }

    /// <summary>
    /// Starts an ordinary child process (<c>sleep</c>) and tries to read its memory the same way:
    /// null when that worked, or why it did not.
    /// </summary>
    public static string? TryReadOrdinaryChildMemory()
    {
        Process child;
        try
        {
            child = Process.Start(new ProcessStartInfo("sleep", "30") { UseShellExecute = false })
                ?? throw new InvalidOperationException("sleep did not start");
        }
        catch (Exception exception) when (exception is Win32Exception or InvalidOperationException)
        {
            return $"no child to try: {exception.GetType().Name}";
        }

        using (child)
        {
            try
            {
                // Let it finish exec'ing sleep, so it is the ordinary process we mean to read.
                for (int i = 0; i < 100 && !ReadCommandLine(child.Id).StartsWith("sleep", StringComparison.Ordinal); i++)
                {
                    Thread.Sleep(10);
                }

                return TryReadProcessMemory(child.Id);
            }
            finally
            {
                child.Kill();
                child.WaitForExit();
            }
        }
    }

    private static string ReadCommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline");
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }

    /// <summary>True when this process runs with user ID 0 (root), which may read any process's memory.</summary>
    public static bool IsRoot()
    {
        string? line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("Uid:", StringComparison.Ordinal));
        return line?.Split('\t', StringSplitOptions.RemoveEmptyEntries) is [_, _, "0", ..];
    }

    private static IEnumerable<(long Start, long End)> ReadableRegions(string pid)
    {
        foreach (string line in File.ReadAllLines($"/proc/{pid}/maps"))
        {
            string[] fields = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 2 || fields[1][0] != 'r' || line.Contains("[vvar", StringComparison.Ordinal) || line.Contains("[vsyscall]", StringComparison.Ordinal))
            {
                continue;
            }

            string[] range = fields[0].Split('-');
            yield return (long.Parse(range[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture), long.Parse(range[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture));
        }
    }

    // Finds runs of at least `length` alphabet characters, as bytes (ASCII, UTF-8) and as UTF-16
    // code units at both alignments, with vectorized searches, and hashes each window of
    // `length` characters in them.
    private static int Count(ReadOnlySpan<byte> data, Search search)
    {
        int hits = CountRuns(data, search.Bytes, search, static (span, i) => span[i]);
        hits += CountRuns(MemoryMarshal.Cast<byte, char>(data), search.Chars, search, static (span, i) => (byte)span[i]);
        if (data.Length > 1)
        {
            hits += CountRuns(MemoryMarshal.Cast<byte, char>(data[1..]), search.Chars, search, static (span, i) => (byte)span[i]);
        }

        return hits;
    }

    private delegate byte Narrow<T>(ReadOnlySpan<T> span, int index);

    private static int CountRuns<T>(ReadOnlySpan<T> data, SearchValues<T> allowed, Search search, Narrow<T> narrow)
        where T : IEquatable<T>
    {
        int hits = 0;
        int length = search.Length;
        Span<byte> window = stackalloc byte[length];
        Span<byte> digest = stackalloc byte[32];
        int at = 0;
        while (at < data.Length)
        {
            int start = data[at..].IndexOfAny(allowed);
            if (start < 0)
            {
                break;
            }

            start += at;
            int runLength = data[start..].IndexOfAnyExcept(allowed);
            int end = runLength < 0 ? data.Length : start + runLength;
            for (int first = start; first + length <= end; first++)
            {
                for (int k = 0; k < length; k++)
                {
                    window[k] = narrow(data, first + k);
                }

                SHA256.HashData(window, digest);
                if (digest.SequenceEqual(search.Fingerprint))
                {
                    hits++;
                }
            }

            at = end;
        }

        return hits;
    }

    private sealed class Search(byte[] fingerprint, int length, string alphabet)
    {
        public byte[] Fingerprint { get; } = fingerprint;

        public int Length { get; } = length;

        public SearchValues<byte> Bytes { get; } = SearchValues.Create(alphabet.Select(c => (byte)c).ToArray());

        public SearchValues<char> Chars { get; } = SearchValues.Create(alphabet);
    }
}
