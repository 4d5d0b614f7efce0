using System.Buffers.Binary;
using EnclaveGen.Runtime.Sealing;

namespace EnclaveGen.Identity.Tests;

/// <summary>
/// The child process of the crash test: seals records into a few files, over and over, until it
/// is killed. Each record says which file and which write it is, and its content follows from that,
/// so the parent can check any file it finds.
/// </summary>
internal static class CrashWriter
{
    public const string Command = "crash-writer";
    public const int FileCount = 6;

    public static EnclaveIdentity Identity { get; } = EnclaveIdentity.CreateForTesting(
        "Crash.Writer", EnclaveHash.Compute("crash writer"u8), EnclaveHash.Compute("crash signer"u8), productId: 1, securityVersion: 1);

    public static string FileName(int index) => $"record-{index}.sealed";

    public static byte[] AdditionalData(int index) => System.Text.Encoding.UTF8.GetBytes(FileName(index));

    public static void Run(string folder, string home, bool inPlace)
    {
        using EnclavePlatform platform = EnclavePlatform.OpenUserStore(home);
        SealingService sealing = new(platform, Identity);
        for (long write = 0; ; write++)
        {
            int index = (int)(write % FileCount);
            string path = Path.Combine(folder, FileName(index));
            byte[] blob = sealing.Seal(Record(index, write), SealingPolicy.MrSigner, AdditionalData(index));
            if (inPlace)
            {
                // What the helper exists to avoid: truncate the file and write it piece by piece.
                using FileStream stream = new(path, FileMode.Create, FileAccess.Write);
                for (int offset = 0; offset < blob.Length; offset += 16 * 1024)
                {
                    stream.Write(blob, offset, Math.Min(16 * 1024, blob.Length - offset));
                    stream.Flush(flushToDisk: true);
                }
            }
            else
            {
                sealing.SealToFile(path, Record(index, write), SealingPolicy.MrSigner, AdditionalData(index));
            }

            if (write == FileCount - 1)
            {
                Console.WriteLine("ready");
            }
            else if (write >= FileCount && write % 8 == 0)
            {
                Console.WriteLine($"wrote {write}");
            }
        }
    }

    /// <summary>Builds the record of write <paramref name="write"/> to file <paramref name="index"/>: 256 KiB to 1 MiB, content derived from both.</summary>
    public static byte[] Record(int index, long write)
    {
        int length = 256 * 1024 + (int)(write * 7919 % (768 * 1024));
        byte[] record = new byte[length];
        BinaryPrimitives.WriteInt32LittleEndian(record, index);
        BinaryPrimitives.WriteInt64LittleEndian(record.AsSpan(4), write);
        for (int i = 12; i < record.Length; i++)
        {
            record[i] = (byte)(i * 31 + write);
        }

        return record;
    }

    /// <summary>True when <paramref name="record"/> is exactly what <see cref="Record"/> writes for file <paramref name="index"/> at some write.</summary>
    public static bool IsValidRecord(int index, byte[] record)
        => record.Length >= 12
            && BinaryPrimitives.ReadInt32LittleEndian(record) == index
            && record.AsSpan().SequenceEqual(Record(index, BinaryPrimitives.ReadInt64LittleEndian(record.AsSpan(4))));
}
