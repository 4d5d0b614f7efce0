using EnclaveGen.Runtime.ProtectedFiles;

namespace EnclaveGen.Runtime.Tests.ProtectedFiles;

/// <summary>
/// The host's data part after a shrink (docs/protected-files.md, "Commits and crashes"): the bytes
/// past the new end stay through the commits a full cache forces and are cut by the next explicit
/// flush or the close; a crash in between leaves a file that opens at its last commit; a file whose
/// new end is a hole still gets the whole length its header needs.
/// </summary>
public sealed class HostLengthTests : ProtectedFileFixture
{
    // 8 MiB through a 128 KiB cache: appended blocks are written out without a commit, but the tree
    // nodes holding their entries fill half the cache past 6 MiB, which forces a commit.
    private const int OldBytes = 10 * 1024 * 1024;
    private const int NewBytes = 8 * 1024 * 1024;

    [Fact]
    public void AReplacedFileKeepsTheHostsBytesThroughForcedCommitsAndCutsThemAtTheClose()
    {
        WriteFile("replaced.bin", RandomBytes(OldBytes, 1));
        long oldHostLength = Storage.Get("replaced.bin")!.Length;
        byte[] content = RandomBytes(NewBytes, 2);
        using (ProtectedFileStream stream = Service().Open("replaced.bin", FileMode.Create, SealingPolicy.MrSigner, Options(cacheBytes: ProtectedFileOptions.MinCacheBytes)))
        {
            // NewBytes through a 128 KiB cache: a commit of its own on the way.
            stream.Write(content);
            Assert.Equal(oldHostLength, Storage.Get("replaced.bin")!.Length);
        }

        Assert.Equal(ProtectedFileLayout.PhysicalLength(NewBytes), Storage.Get("replaced.bin")!.Length);
        Assert.Equal(content, ReadFile("replaced.bin"));
    }

    [Fact]
    public void ACrashBeforeTheCutLeavesTheLastForcedCommitWithTheOldBytesPastItsEnd()
    {
        WriteFile("crashed.bin", RandomBytes(OldBytes, 3));
        long oldHostLength = Storage.Get("crashed.bin")!.Length;
        byte[] content = RandomBytes(NewBytes, 4);
        Dictionary<(string Name, ProtectedFilePart Part), byte[]> atCrash;
        using (ProtectedFileStream stream = Service().Open("crashed.bin", FileMode.Create, SealingPolicy.MrSigner, Options(cacheBytes: ProtectedFileOptions.MinCacheBytes)))
        {
            stream.Write(content);
            atCrash = Storage.Snapshot();
        }

        Storage.Restore(atCrash);
        Assert.Equal(oldHostLength, Storage.Get("crashed.bin")!.Length);
        byte[] back = ReadFile("crashed.bin");
        Assert.InRange(back.Length, 1, NewBytes - 1);
        Assert.Equal(content.AsSpan(0, back.Length).ToArray(), back);

        // The next writer's close cuts them.
        using (ProtectedFileStream stream = Service().Open("crashed.bin", FileMode.Open, SealingPolicy.MrSigner))
        {
            Assert.Equal(back.Length, stream.Length);
        }

        Assert.Equal(ProtectedFileLayout.PhysicalLength(back.Length), Storage.Get("crashed.bin")!.Length);
    }

    [Fact]
    public void AFlushAfterACutCutsTheHostsBytes()
    {
        byte[] content = RandomBytes(OldBytes, 5);
        WriteFile("flushed.bin", content);
        using ProtectedFileStream stream = Service().Open("flushed.bin", FileMode.Open, SealingPolicy.MrSigner);
        stream.SetLength(10_000);
        stream.Flush();
        Assert.Equal(ProtectedFileLayout.PhysicalLength(10_000), Storage.Get("flushed.bin")!.Length);
        stream.Position = 10_000;
        stream.Write(content.AsSpan(10_000, 5_000));
        stream.Flush();
        Assert.Equal(ProtectedFileLayout.PhysicalLength(15_000), Storage.Get("flushed.bin")!.Length);
        Assert.Equal(content.AsSpan(0, 15_000).ToArray(), Read(stream, 0, 20_000));
    }

    [Theory]
    [InlineData(5 * 1024 * 1024)]
    [InlineData((96 * 4096) + 1)]
    public void AFileWhoseEndIsAHoleGetsTheWholeLengthItsHeaderNeeds(long size)
    {
        using (ProtectedFileStream stream = Service().Open("hole.bin", FileMode.Create, SealingPolicy.MrSigner))
        {
            stream.Write("start"u8);
            stream.SetLength(size);
        }

        Assert.Equal(ProtectedFileLayout.PhysicalLength(size), Storage.Get("hole.bin")!.Length);
        byte[] back = ReadFile("hole.bin");
        Assert.Equal(size, back.Length);
        Assert.Equal("start"u8.ToArray(), back[..5]);
        Assert.True(back.AsSpan(5).IndexOfAnyExcept((byte)0) < 0);
    }

    private static byte[] Read(ProtectedFileStream stream, long offset, int count)
    {
        stream.Position = offset;
        using MemoryStream copy = new();
        byte[] buffer = new byte[count];
        int read;
        while (count > 0 && (read = stream.Read(buffer, 0, count)) > 0)
        {
            copy.Write(buffer, 0, read);
            count -= read;
        }

        return copy.ToArray();
    }
}
