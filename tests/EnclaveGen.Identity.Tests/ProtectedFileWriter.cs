using System.Buffers.Binary;
using EnclaveGen.Runtime.Counters;
using EnclaveGen.Runtime.ProtectedFiles;

namespace EnclaveGen.Identity.Tests;

/// <summary>
/// Child processes of the process-level protected-file tests. <see cref="RunWriter"/> commits
/// version after version of one protected file until it is killed; every version's content
/// follows from its number, so the parent can check whatever the kill left. <see cref="RunCounter"/>
/// increments a shared monotonic counter and prints each value it got.
/// </summary>
internal static class ProtectedFileWriter
{
    public const string WriterCommand = "protected-writer";
    public const string CounterCommand = "counter-incrementer";
    public const string FileName = "state.db";
    public const string CounterName = "shared";

    private const int Window = 64 * 4096;

    public static EnclaveIdentity Identity { get; } = EnclaveIdentity.CreateForTesting(
        "Crash.ProtectedWriter", EnclaveHash.Compute("protected writer"u8), EnclaveHash.Compute("crash signer"u8), productId: 2, securityVersion: 1);

    public static void RunWriter(string folder, string home, bool rollbackProtection)
    {
        using EnclavePlatform platform = EnclavePlatform.OpenUserStore(home);
        using FolderProtectedFileStorage storage = new(folder);
        ProtectedFileService files = new(platform, Identity, storage);
        using ProtectedFileStream stream = files.Open(FileName, FileMode.OpenOrCreate, SealingPolicy.MrSigner, new ProtectedFileOptions { RollbackProtection = rollbackProtection });
        long version = 0;
        if (stream.Length >= 8)
        {
            Span<byte> first = stackalloc byte[8];
            stream.ReadExactly(first);
            version = BinaryPrimitives.ReadInt64LittleEndian(first);
        }

        Console.WriteLine("ready");
        while (true)
        {
            long next = version + 1;
            Transform(stream, version, next);
            stream.Flush();
            version = next;
            Console.WriteLine($"committed {version}");
        }
    }

    public static void RunCounter(string home, int increments)
    {
        using EnclavePlatform platform = EnclavePlatform.OpenUserStore(home);
        EnclaveCounterService counters = new(platform, Identity);
        for (int i = 0; i < increments; i++)
        {
            Console.WriteLine(counters.Increment(CounterName));
        }
    }

    /// <summary>The content of version <paramref name="version"/>: 128 KiB to 1.1 MiB of a fixed pattern, a window of its own bytes, and its number first.</summary>
    public static byte[] State(long version)
    {
        byte[] state = new byte[Length(version)];
        for (int i = 0; i < state.Length; i++)
        {
            state[i] = Pattern(i);
        }

        if (version > 0)
        {
            long start = WindowStart(version, state.Length);
            for (int i = 0; i < Window && start + i < state.Length; i++)
            {
                state[start + i] = (byte)(i ^ version);
            }

            BinaryPrimitives.WriteInt64LittleEndian(state, version);
        }

        return state;
    }

    /// <summary>Turns version <paramref name="from"/> into <paramref name="to"/> with random-access changes only: cut or grow, undo the old window, write the new one.</summary>
    private static void Transform(ProtectedFileStream stream, long from, long to)
    {
        int oldLength = from == 0 ? 0 : Length(from);
        int newLength = Length(to);
        stream.SetLength(newLength);
        if (newLength > oldLength)
        {
            stream.Position = oldLength;
            stream.Write(Range(oldLength, newLength - oldLength, Pattern));
        }

        if (from > 0)
        {
            long oldStart = WindowStart(from, oldLength);
            int count = (int)Math.Max(0, Math.Min(Window, newLength - oldStart));
            stream.Position = oldStart;
            stream.Write(Range(oldStart, count, Pattern));
            stream.Position = 0;
            stream.Write(Range(0, Math.Min(8, newLength), Pattern));
        }

        byte[] target = State(to);
        long start = WindowStart(to, newLength);
        stream.Position = start;
        stream.Write(target.AsSpan((int)start, (int)Math.Min(Window, newLength - start)));
        stream.Position = 0;
        stream.Write(target.AsSpan(0, 8));
    }

    private static byte[] Range(long start, int count, Func<long, byte> value)
    {
        byte[] bytes = new byte[count];
        for (int i = 0; i < count; i++)
        {
            bytes[i] = value(start + i);
        }

        return bytes;
    }

    private static byte Pattern(long index) => (byte)((index * 31) + (index >> 12));

    private static int Length(long version) => (128 * 1024) + (int)(version * 7919 % (1024 * 1024));

    private static long WindowStart(long version, int length) => Math.Max(8, version * 104_729 % Math.Max(1, length - 8));
}
