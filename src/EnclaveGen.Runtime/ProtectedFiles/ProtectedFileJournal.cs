using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;

namespace EnclaveGen.Runtime.ProtectedFiles;

/// <summary>
/// The recovery journal that makes a commit atomic (an undo log, as SGX's protected file system
/// keeps): before a commit overwrites any node in place, the journal receives the old bytes of
/// every node it will overwrite and the file's old length, and is made durable. Deleting it is the
/// commit point. An interrupted commit leaves a complete journal, which the next open applies
/// (back to the old state), or an incomplete one, written before anything was overwritten, which
/// is discarded. Format in docs/protected-files.md.
/// </summary>
/// <remarks>
/// The journal's hash only detects a torn write, it is not a MAC: a host that writes a journal of
/// its own can only do what writing the data directly does, and the tree refuses what does not
/// authenticate.
/// </remarks>
internal static class ProtectedFileJournal
{
    public const int HeaderSize = 32;
    public const int RecordSize = 8 + ProtectedFileLayout.BlockSize;
    public const int HashSize = 32;
    private const byte Version = 1;
    private const int RecordsPerChunk = 32;

    private static ReadOnlySpan<byte> Magic => "EGPJ"u8;

    /// <summary>Writes and flushes the journal for a commit that will overwrite <paramref name="nodes"/> (ascending, all below the old length).</summary>
    /// <remarks>
    /// The journal is staged in a buffer of <see cref="RecordsPerChunk"/> records and written when
    /// it fills, so a commit's usual small journal (the header, a few tree nodes) is one write.
    /// </remarks>
    public static void Write(CheckedStorage storage, long oldLength, IReadOnlyList<long> nodes)
    {
        storage.SetLength(ProtectedFilePart.Journal, 0);
        using IncrementalHash hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        byte[] old = ArrayPool<byte>.Shared.Rent(RecordsPerChunk * ProtectedFileLayout.BlockSize);
        byte[] staged = ArrayPool<byte>.Shared.Rent(HeaderSize + (RecordsPerChunk * RecordSize) + HashSize);
        try
        {
            Span<byte> header = staged.AsSpan(0, HeaderSize);
            header.Clear();
            Magic.CopyTo(header);
            header[4] = Version;
            BinaryPrimitives.WriteInt64LittleEndian(header[8..], oldLength);
            BinaryPrimitives.WriteInt32LittleEndian(header[16..], nodes.Count);
            hash.AppendData(header);
            int stagedLength = HeaderSize;
            long offset = 0;

            for (int first = 0; first < nodes.Count;)
            {
                // A run of consecutive nodes is one read of the old bytes.
                int count = 1;
                while (first + count < nodes.Count && count < RecordsPerChunk && nodes[first + count] == nodes[first] + count)
                {
                    count++;
                }

                storage.ReadExactly(ProtectedFilePart.Data, nodes[first] * ProtectedFileLayout.BlockSize, old.AsSpan(0, count * ProtectedFileLayout.BlockSize));
                for (int i = 0; i < count; i++)
                {
                    if (stagedLength + RecordSize > staged.Length - HashSize)
                    {
                        storage.Write(ProtectedFilePart.Journal, offset, staged.AsSpan(0, stagedLength));
                        offset += stagedLength;
                        stagedLength = 0;
                    }

                    Span<byte> record = staged.AsSpan(stagedLength, RecordSize);
                    BinaryPrimitives.WriteInt64LittleEndian(record, nodes[first + i]);
                    old.AsSpan(i * ProtectedFileLayout.BlockSize, ProtectedFileLayout.BlockSize).CopyTo(record[8..]);
                    hash.AppendData(record);
                    stagedLength += RecordSize;
                }

                first += count;
            }

            // The hash goes last: a journal without it (a crash before this write lands) is incomplete.
            hash.GetHashAndReset(staged.AsSpan(stagedLength, HashSize));
            stagedLength += HashSize;
            storage.Write(ProtectedFilePart.Journal, offset, staged.AsSpan(0, stagedLength));
            storage.Flush(ProtectedFilePart.Journal);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(old);
            ArrayPool<byte>.Shared.Return(staged);
        }
    }

    /// <summary>
    /// Finishes what an interrupted commit left: applies a complete journal (the file goes back to
    /// its old state) or discards an incomplete one (nothing was overwritten yet), then deletes it.
    /// </summary>
    /// <returns>True when a complete journal was applied.</returns>
    public static bool Recover(CheckedStorage storage)
    {
        long length = storage.GetLength(ProtectedFilePart.Journal);
        if (length < 0)
        {
            return false;
        }

        if (storage.GetLength(ProtectedFilePart.Data) < 0)
        {
            // A journal without its data part undoes nothing: the file was deleted (data first), or
            // the commit that wrote it was creating the file and never reached it.
            storage.Delete(ProtectedFilePart.Journal);
            return false;
        }

        bool applied = TryReadComplete(storage, length, out long oldLength, out int count) && Apply(storage, oldLength, count);
        storage.Delete(ProtectedFilePart.Journal);
        return applied;
    }

    private static bool TryReadComplete(CheckedStorage storage, long length, out long oldLength, out int count)
    {
        oldLength = 0;
        count = 0;
        if (length < HeaderSize + HashSize || (length - HeaderSize - HashSize) % RecordSize != 0)
        {
            return false;
        }

        Span<byte> header = stackalloc byte[HeaderSize];
        storage.ReadExactly(ProtectedFilePart.Journal, 0, header);
        oldLength = BinaryPrimitives.ReadInt64LittleEndian(header[8..]);
        count = BinaryPrimitives.ReadInt32LittleEndian(header[16..]);
        if (!header[..4].SequenceEqual(Magic) || header[4] != Version || count != (length - HeaderSize - HashSize) / RecordSize)
        {
            return false;
        }

        // The whole journal must hash to its last 32 bytes, read in chunks so memory stays bounded.
        using IncrementalHash hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(header);
        byte[] chunk = ArrayPool<byte>.Shared.Rent(RecordsPerChunk * RecordSize);
        try
        {
            long end = length - HashSize;
            for (long offset = HeaderSize; offset < end;)
            {
                int take = (int)Math.Min(chunk.Length, end - offset);
                storage.ReadExactly(ProtectedFilePart.Journal, offset, chunk.AsSpan(0, take));
                hash.AppendData(chunk, 0, take);
                offset += take;
            }

            Span<byte> expected = stackalloc byte[HashSize];
            Span<byte> actual = stackalloc byte[HashSize];
            storage.ReadExactly(ProtectedFilePart.Journal, end, expected);
            hash.GetHashAndReset(actual);
            return actual.SequenceEqual(expected);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    private static bool Apply(CheckedStorage storage, long oldLength, int count)
    {
        // The old length is the host file's length as the commit found it, which need not be whole
        // blocks: bytes past a file's end (a host's padding, a cut that a crash left undone) are
        // never read, and the journal puts them back as they were.
        if (oldLength < 0 || oldLength > CheckedStorage.MaxPartLength)
        {
            throw Forged(storage, string.Create(CultureInfo.InvariantCulture, $"it restores a length of {oldLength} bytes, which no commit writes"));
        }

        // Every record is checked before the first is applied, so a forged journal changes nothing.
        Span<byte> index = stackalloc byte[8];
        for (int i = 0; i < count; i++)
        {
            storage.ReadExactly(ProtectedFilePart.Journal, HeaderSize + ((long)i * RecordSize), index);
            long node = BinaryPrimitives.ReadInt64LittleEndian(index);
            if (node < 0 || node >= oldLength / ProtectedFileLayout.BlockSize)
            {
                throw Forged(storage, string.Create(CultureInfo.InvariantCulture, $"it restores node {node}, outside the {oldLength}-byte file it describes"));
            }
        }

        byte[] record = ArrayPool<byte>.Shared.Rent(RecordSize);
        try
        {
            for (int i = 0; i < count; i++)
            {
                storage.ReadExactly(ProtectedFilePart.Journal, HeaderSize + ((long)i * RecordSize), record.AsSpan(0, RecordSize));
                long node = BinaryPrimitives.ReadInt64LittleEndian(record);
                if (node < 0 || node >= oldLength / ProtectedFileLayout.BlockSize)
                {
                    throw Forged(storage, "it changed while it was applied");
                }

                storage.Write(ProtectedFilePart.Data, node * ProtectedFileLayout.BlockSize, record.AsSpan(8, ProtectedFileLayout.BlockSize));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(record);
        }

        storage.SetLength(ProtectedFilePart.Data, oldLength);
        storage.Flush(ProtectedFilePart.Data);
        return true;
    }

    private static ProtectedFileException Forged(CheckedStorage storage, string what) =>
        ProtectedFileHeader.Tampered(storage.Name, $"its recovery journal was not written by the enclave ({what})");
}
