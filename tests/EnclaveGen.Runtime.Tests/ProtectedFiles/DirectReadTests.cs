using EnclaveGen.Runtime.ProtectedFiles;
using static EnclaveGen.Runtime.ProtectedFiles.ProtectedFileLayout;

namespace EnclaveGen.Runtime.Tests.ProtectedFiles;

/// <summary>
/// Reads that cover whole committed blocks the cache does not hold decrypt them from the host's
/// answer straight into the reader's buffer (docs/protected-files.md, "Reading"): the same checks
/// as through the cache, the cache's changes and cuts still win, and the cache is left alone.
/// Every kind of tampering is also read this way in <see cref="TamperTests"/> (1 MiB reads).
/// </summary>
public sealed class DirectReadTests : ProtectedFileFixture
{
    private const int Large = 1024 * 1024;

    [Fact]
    public void ALargeReadLeavesTheCacheToTheTreeNodesWhereSmallReadsFillIt()
    {
        byte[] content = RandomBytes(512 * BlockSize, 1);
        WriteFile("large.bin", content);

        using ProtectedFileStream large = OpenToRead("large.bin");
        byte[] buffer = new byte[Large];
        Assert.Equal(Large, large.Read(buffer));
        Assert.Equal(content.AsSpan(0, Large).ToArray(), buffer);

        // Blocks 0 to 255 have their entries in tree nodes 0 to 2: three nodes, no blocks.
        Assert.Equal(3, large.CacheUse.Count);

        using ProtectedFileStream small = OpenToRead("large.bin");
        for (int block = 0; block < 64; block++)
        {
            small.ReadExactly(buffer.AsSpan(block * BlockSize, BlockSize));
        }

        Assert.Equal(content.AsSpan(0, 64 * BlockSize).ToArray(), buffer.AsSpan(0, 64 * BlockSize).ToArray());
        Assert.True(small.CacheUse.Count > 3, $"single-block reads go through the cache (and its read-ahead): {small.CacheUse.Count} nodes");
    }

    [Fact]
    public void ATamperedBlockFailsTheWholeReadAndHandsOutNoneOfItsRun()
    {
        WriteFile("data.bin", RandomBytes(200 * BlockSize, 2));
        FlipHostBit("data.bin", PhysicalOfData(40), 7);

        using ProtectedFileStream stream = OpenToRead("data.bin");
        byte[] buffer = new byte[Large];
        buffer.AsSpan().Fill(0xEE);
        ProtectedFileException error = Refused(() => stream.ReadExactly(buffer.AsSpan(0, 100 * BlockSize)));

        Assert.Equal(ProtectedFileFailure.Tampered, error.Reason);
        Assert.Contains("data block 40 (bytes 163840 to 167935)", error.Message, StringComparison.Ordinal);

        // Blocks 0 to 95 were one run from the host: the ones before block 40 authenticated, but none is handed out as read.
        Assert.True(buffer.AsSpan(0, DataPerNode * BlockSize).IndexOfAnyExcept((byte)0) < 0, "the failed run's bytes were left in the buffer");
        Assert.Equal(ProtectedFileFailure.Faulted, Refused(() => stream.ReadByte()).Reason);
    }

    [Fact]
    public void AReadPartlyInTheCacheTakesTheCachedChangesAndTheRestFromTheHost()
    {
        byte[] model = RandomBytes(300 * BlockSize, 3);
        WriteFile("mixed.bin", model);

        using (ProtectedFileStream stream = Service().Open("mixed.bin", FileMode.Open, SealingPolicy.MrSigner, Options(cacheBytes: ProtectedFileOptions.MinCacheBytes)))
        {
            // Changed blocks in the cache (one partly, one whole, one far on) and a clean cached one between them.
            Overwrite(stream, model, (30 * BlockSize) + 10, RandomBytes(100, 4));
            Overwrite(stream, model, 31 * BlockSize, RandomBytes(BlockSize, 5));
            Overwrite(stream, model, (70 * BlockSize) + 4000, RandomBytes(200, 6));
            stream.Position = 50 * BlockSize;
            stream.ReadExactly(new byte[BlockSize]);

            Assert.Equal(model, ReadAll(stream, Large));
        }

        Assert.Equal(model, ReadFile("mixed.bin"));
    }

    [Fact]
    public void AReadAcrossTheEndOfTheFileStopsThere()
    {
        // 100 blocks and 123 bytes: from block 70, a run to the tree node's end (block 95), four
        // whole blocks too few for a run of their own, then the partial last block.
        byte[] content = RandomBytes((100 * BlockSize) + 123, 7);
        WriteFile("end.bin", content);

        using ProtectedFileStream stream = OpenToRead("end.bin");
        stream.Position = 70 * BlockSize;
        byte[] buffer = new byte[Large];
        int read = stream.Read(buffer);

        Assert.Equal((30 * BlockSize) + 123, read);
        Assert.Equal(content.AsSpan(70 * BlockSize).ToArray(), buffer.AsSpan(0, read).ToArray());
        Assert.Equal(0, stream.Read(buffer));
    }

    [Fact]
    public void AWriterReadsItsOwnUncommittedChangesCutsAndHolesInLargeReads()
    {
        byte[] committed = RandomBytes(200 * BlockSize, 8);
        WriteFile("own.bin", committed);
        MemoryStream model = new();
        model.Write(committed);

        ProtectedFileService service = Service();
        using (ProtectedFileStream stream = service.Open("own.bin", FileMode.Open, SealingPolicy.MrSigner, Options(cacheBytes: ProtectedFileOptions.MinCacheBytes)))
        {
            // No other stream reads a file while it is written.
            Assert.Equal(ProtectedFileFailure.InUse, Refused(() => service.Open("own.bin", FileMode.Open, FileAccess.Read, SealingPolicy.MrSigner)).Reason);

            Apply(stream, model, 20 * BlockSize, RandomBytes(40 * BlockSize, 9));   // overwrites committed blocks (held in the cache)
            Apply(stream, model, 200 * BlockSize, RandomBytes(150 * BlockSize, 10)); // appended: written out before any commit
            stream.SetLength(180 * BlockSize);                                       // cuts committed and appended blocks
            model.SetLength(180 * BlockSize);
            stream.SetLength(260 * BlockSize);                                       // grows again: zeros
            model.SetLength(260 * BlockSize);
            Apply(stream, model, (255 * BlockSize) + 5, RandomBytes(50, 11));

            Assert.Equal(model.ToArray(), ReadAll(stream, Large));
            stream.Flush();
            Assert.Equal(model.ToArray(), ReadAll(stream, Large));
        }

        Assert.Equal(model.ToArray(), ReadFile("own.bin"));
    }

    [Fact]
    public void HolesInACommittedFileReadAsZeros()
    {
        using (ProtectedFileStream stream = Service().Open("sparse.bin", FileMode.Create, SealingPolicy.MrSigner))
        {
            stream.Write(RandomBytes(10 * BlockSize, 12));
            stream.Position = 250 * BlockSize;
            stream.Write(RandomBytes(BlockSize, 13));
        }

        using ProtectedFileStream reader = OpenToRead("sparse.bin");
        byte[] back = ReadAll(reader, Large);

        Assert.Equal(251 * BlockSize, back.Length);
        Assert.Equal(RandomBytes(10 * BlockSize, 12), back[..(10 * BlockSize)]);
        Assert.True(back.AsSpan(10 * BlockSize, 240 * BlockSize).IndexOfAnyExcept((byte)0) < 0, "a hole did not read as zeros");
        Assert.Equal(RandomBytes(BlockSize, 13), back[(250 * BlockSize)..]);
    }

    private ProtectedFileStream OpenToRead(string name) =>
        Service().Open(name, FileMode.Open, FileAccess.Read, SealingPolicy.MrSigner, Options(cacheBytes: ProtectedFileOptions.MinCacheBytes));

    private static void Overwrite(ProtectedFileStream stream, byte[] model, long offset, byte[] data)
    {
        data.CopyTo(model.AsSpan((int)offset));
        stream.Position = offset;
        stream.Write(data);
    }

    private static void Apply(ProtectedFileStream stream, MemoryStream model, long offset, byte[] data)
    {
        model.Position = offset;
        model.Write(data);
        stream.Position = offset;
        stream.Write(data);
    }

    private static byte[] ReadAll(ProtectedFileStream stream, int readSize)
    {
        stream.Position = 0;
        return ReadInPieces(stream, readSize);
    }
}
