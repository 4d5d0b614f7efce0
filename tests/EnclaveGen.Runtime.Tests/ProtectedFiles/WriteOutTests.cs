using EnclaveGen.Runtime.ProtectedFiles;

namespace EnclaveGen.Runtime.Tests.ProtectedFiles;

/// <summary>
/// Appended blocks written out before their commit (docs/protected-files.md, "Commits and crashes"):
/// a sequential writer fills the cache many times over without forcing a commit, what it wrote out
/// reads back before the commit (authenticated against the changed tree nodes in the cache), a cut
/// forgets it, and only a commit makes any of it part of the file.
/// </summary>
public sealed class WriteOutTests : ProtectedFileFixture
{
    private const int SmallCache = ProtectedFileOptions.MinCacheBytes;

    [Fact]
    public void ASequentialWriterFarPastTheCacheWritesBlocksOutWithoutCommitting()
    {
        // 4 MiB through a 128 KiB cache: 32 cache fulls, 11 tree nodes' worth of blocks.
        byte[] content = RandomBytes(4 * 1024 * 1024, 1);
        Dictionary<(string Name, ProtectedFilePart Part), byte[]> beforeTheClose;
        using (ProtectedFileStream stream = Service().Open("stream.bin", FileMode.Create, SealingPolicy.MrSigner, Options(cacheBytes: SmallCache)))
        {
            for (int at = 0; at < content.Length; at += 64 * 1024)
            {
                stream.Write(content.AsSpan(at, 64 * 1024));
                (int cached, int capacity) = stream.CacheUse;
                Assert.True(cached <= capacity, $"{cached} nodes cached, more than the cache's {capacity}");
            }

            beforeTheClose = Storage.Snapshot();
        }

        // The blocks are on the host (all but the last write batch's 64 and what the cache holds), yet no commit happened: the file is still the empty one Create made.
        Assert.False(beforeTheClose.ContainsKey(("stream.bin", ProtectedFilePart.Journal)));
        Assert.True(beforeTheClose[("stream.bin", ProtectedFilePart.Data)].Length >= ProtectedFileLayout.PhysicalLength(content.Length - (64 * 4096) - SmallCache));
        Assert.Equal(content, ReadFile("stream.bin"));
        Storage.Restore(beforeTheClose);
        Assert.Empty(ReadFile("stream.bin"));
    }

    [Fact]
    public void BlocksWrittenOutReadBackAndChangeBeforeTheirCommit()
    {
        byte[] content = RandomBytes(2 * 1024 * 1024, 2);
        byte[] patch = RandomBytes(10_000, 3);
        using (ProtectedFileStream stream = Service().Open("reread.bin", FileMode.Create, SealingPolicy.MrSigner, Options(cacheBytes: SmallCache)))
        {
            stream.Write(content);

            // The first blocks left the cache long ago: they come back from the host, authenticated.
            stream.Position = 0;
            byte[] back = new byte[content.Length];
            stream.ReadExactly(back);
            Assert.Equal(content, back);

            // A partial write into a written-out block loads it, and the next write-out or the commit encrypts it again.
            stream.Position = 5_000;
            stream.Write(patch);
            patch.CopyTo(content, 5_000);
            stream.Position = 0;
            stream.ReadExactly(back);
            Assert.Equal(content, back);
        }

        Assert.Equal(content, ReadFile("reread.bin"));
    }

    [Fact]
    public void AnAppendedBlockRewrittenBeforeItsCommitKeepsItsLastContent()
    {
        // Whole appended blocks go straight to the write batch; the same block again, before the
        // batch reaches the host, must not let the older copy land last.
        byte[] content = RandomBytes(8 * 4096, 7);
        using (ProtectedFileStream stream = Service().Open("rewrite.bin", FileMode.Create, SealingPolicy.MrSigner))
        {
            stream.Write(content);
            foreach ((int block, int seed) in new[] { (1, 8), (1, 9), (6, 10) })
            {
                byte[] again = RandomBytes(4096, seed);
                again.CopyTo(content, block * 4096);
                stream.Position = block * 4096;
                stream.Write(again);
            }

            // A partial write into a block still waiting in the batch reads it back from the host first.
            byte[] patch = RandomBytes(100, 11);
            patch.CopyTo(content, (6 * 4096) + 50);
            stream.Position = (6 * 4096) + 50;
            stream.Write(patch);
            Assert.Equal(content, ReadAll(stream));
        }

        Assert.Equal(content, ReadFile("rewrite.bin"));
    }

    [Theory]
    [InlineData(1_000_100)] // inside a tree node's range: its entries from the cut on are forgotten
    [InlineData(96 * 4096 * 2)] // at a tree node's boundary: the nodes past it are cut whole
    [InlineData(0)]
    public void ACutForgetsBlocksWrittenOutPastIt(long cutAt)
    {
        MemoryStream model = new();
        using (ProtectedFileStream stream = Service().Open("cut.bin", FileMode.Create, SealingPolicy.MrSigner, Options(cacheBytes: SmallCache)))
        {
            void Write(long offset, byte[] data)
            {
                stream.Position = model.Position = offset;
                stream.Write(data);
                model.Write(data);
            }

            Write(0, RandomBytes(3 * 1024 * 1024, 4));
            stream.SetLength(cutAt);
            model.SetLength(cutAt);
            stream.SetLength(3 * 1024 * 1024);
            model.SetLength(3 * 1024 * 1024);
            Assert.Equal(model.ToArray(), ReadAll(stream));

            // Regrown past the cut and written out again, then cut again less deep: what was written since the first cut stays.
            Write(cutAt + 123, RandomBytes(1024 * 1024, 5));
            stream.SetLength(cutAt + 700_000);
            model.SetLength(cutAt + 700_000);
            Write(cutAt + 1_500_000, RandomBytes(600_000, 6));
            Assert.Equal(model.ToArray(), ReadAll(stream));
        }

        Assert.Equal(model.ToArray(), ReadFile("cut.bin"));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void LongAppendsWithRandomChangesMatchAPlainStream(int seed)
    {
        // Long appends (written out), overwrites of committed and written-out blocks, cuts, rare commits.
        Random random = new(seed);
        MemoryStream model = new();
        ProtectedFileStream file = Service().Open("mixed.bin", FileMode.Create, SealingPolicy.MrSigner, Options(cacheBytes: SmallCache));
        try
        {
            for (int step = 0; step < 60; step++)
            {
                long offset = random.Next(3) == 0 ? random.NextInt64(0, model.Length + 1) : model.Length;
                switch (random.Next(10))
                {
                    case < 6:
                        byte[] data = RandomBytes(random.Next(1, 300_000), random.Next());
                        model.Position = file.Position = offset;
                        model.Write(data);
                        file.Write(data);
                        break;
                    case 6:
                        long length = random.NextInt64(0, model.Length + 1);
                        model.SetLength(length);
                        file.SetLength(length);
                        break;
                    case 7:
                        Assert.Equal(model.ToArray(), ReadAll(file));
                        break;
                    case 8:
                        file.Flush();
                        break;
                    default:
                        file.Dispose();
                        Assert.Equal(model.ToArray(), ReadFile("mixed.bin"));
                        file = Service().Open("mixed.bin", FileMode.Open, SealingPolicy.MrSigner, Options(cacheBytes: SmallCache));
                        break;
                }

                Assert.Equal(model.Length, file.Length);
            }

            Assert.Equal(model.ToArray(), ReadAll(file));
        }
        finally
        {
            file.Dispose();
        }

        Assert.Equal(model.ToArray(), ReadFile("mixed.bin"));
    }

    private static byte[] ReadAll(ProtectedFileStream stream)
    {
        stream.Position = 0;
        byte[] back = new byte[stream.Length];
        stream.ReadExactly(back);
        return back;
    }
}
