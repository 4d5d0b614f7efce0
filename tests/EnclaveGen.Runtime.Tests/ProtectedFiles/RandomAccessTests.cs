using EnclaveGen.Runtime.ProtectedFiles;

namespace EnclaveGen.Runtime.Tests.ProtectedFiles;

/// <summary>
/// A protected file behaves as a plain stream: random writes, reads, cuts and growth, flushes and
/// reopens, checked step by step against a <see cref="MemoryStream"/> doing the same, with a cache
/// far smaller than the file, so blocks and tree nodes are evicted and reloaded all the time.
/// </summary>
public sealed class RandomAccessTests : ProtectedFileFixture
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void RandomOperationsMatchAPlainStream(int seed)
    {
        Random random = new(seed);
        MemoryStream model = new();
        ProtectedFileStream file = Service().Open("model.bin", FileMode.Create, SealingPolicy.MrSigner, Options(cacheBytes: ProtectedFileOptions.MinCacheBytes));
        try
        {
            for (int step = 0; step < 400; step++)
            {
                // Mostly near the start, sometimes far out (past 13 MiB a tree node's parent has a parent).
                long offset = random.Next(10) switch
                {
                    0 => random.NextInt64(13L << 20, 15L << 20),
                    1 => model.Length,
                    _ => random.NextInt64(0, 600_000),
                };
                switch (random.Next(12))
                {
                    case < 5:
                        byte[] data = RandomBytes(random.Next(1, 20_000), random.Next());
                        Write(model, offset, data);
                        file.Position = offset;
                        file.Write(data);
                        break;
                    case < 8:
                        // Now and then a read large enough for whole blocks to skip the cache.
                        int count = random.Next(6) == 0 ? random.Next(100_000, 500_000) : random.Next(1, 30_000);
                        Assert.Equal(Read(model, offset, count), Read(file, offset, count));
                        break;
                    case 8:
                        long length = random.Next(3) == 0 ? offset : random.NextInt64(0, Math.Max(1, model.Length));
                        model.SetLength(length);
                        file.SetLength(length);
                        break;
                    case 9:
                        file.Flush();
                        break;
                    default:
                        file.Dispose();
                        file = Service().Open("model.bin", FileMode.Open, SealingPolicy.MrSigner, Options(cacheBytes: ProtectedFileOptions.MinCacheBytes));
                        break;
                }

                Assert.Equal(model.Length, file.Length);
                (int cached, int capacity) = file.CacheUse;
                Assert.True(cached <= capacity, $"step {step}: {cached} nodes cached, more than the cache's {capacity}");
            }
        }
        finally
        {
            file.Dispose();
        }

        Assert.Equal(model.ToArray(), ReadFile("model.bin"));
    }

    [Fact]
    public void AFileFarLargerThanTheCacheRoundTripsAndTheCacheStaysWithinItsLimit()
    {
        byte[] content = RandomBytes(6 * 1024 * 1024, 11);
        int largestCache = 0;
        using (ProtectedFileStream stream = Service().Open("large.bin", FileMode.Create, SealingPolicy.MrSigner, Options(cacheBytes: ProtectedFileOptions.MinCacheBytes)))
        {
            for (int at = 0; at < content.Length; at += 50_000)
            {
                stream.Write(content.AsSpan(at, Math.Min(50_000, content.Length - at)));
                largestCache = Math.Max(largestCache, stream.CacheUse.Count);
            }
        }

        using (ProtectedFileStream stream = Service().Open("large.bin", FileMode.Open, FileAccess.Read, SealingPolicy.MrSigner, Options(cacheBytes: ProtectedFileOptions.MinCacheBytes)))
        {
            byte[] back = new byte[content.Length];
            stream.ReadExactly(back);
            Assert.Equal(content, back);
            largestCache = Math.Max(largestCache, stream.CacheUse.Count);
            Assert.Equal(ProtectedFileOptions.MinCacheBytes / 4096, stream.CacheUse.Capacity);
        }

        Assert.InRange(largestCache, 1, ProtectedFileOptions.MinCacheBytes / 4096);
    }

    [Fact]
    public void AGapReadsAsZerosAndCostsNoHostBytesBeyondTheTree()
    {
        using (ProtectedFileStream stream = Service().Open("sparse.bin", FileMode.Create, SealingPolicy.MrSigner))
        {
            stream.Position = 20L << 20;
            stream.Write("end"u8);
        }

        byte[] back = ReadFile("sparse.bin");
        Assert.Equal((20L << 20) + 3, back.Length);
        Assert.True(back.AsSpan(0, 20 << 20).IndexOfAnyExcept((byte)0) < 0);
        Assert.Equal("end"u8.ToArray(), back[^3..]);

        // Only the header, the path of tree nodes and the one block were encrypted: the rest of the host file is a hole.
        byte[] host = Storage.Get("sparse.bin")!;
        int written = Enumerable.Range(0, host.Length / 4096).Count(block => host.AsSpan(block * 4096, 4096).IndexOfAnyExcept((byte)0) >= 0);
        Assert.InRange(written, 3, 5);
    }

    [Fact]
    public void ACutThenRegrownFileReadsZerosWhereTheOldBytesWere()
    {
        byte[] content = RandomBytes(3 * 1024 * 1024, 5);
        WriteFile("cut.bin", content);
        using (ProtectedFileStream stream = Service().Open("cut.bin", FileMode.Open, SealingPolicy.MrSigner))
        {
            stream.SetLength(10_000);
            stream.SetLength(content.Length);
            Assert.Equal(new byte[4096], Read(stream, 500_000, 4096));
        }

        byte[] back = ReadFile("cut.bin");
        Assert.Equal(content.AsSpan(0, 10_000).ToArray(), back[..10_000]);
        Assert.True(back.AsSpan(10_000).IndexOfAnyExcept((byte)0) < 0);
    }

    [Fact]
    public void AppendStartsAtTheEnd()
    {
        WriteFile("log.txt", "first "u8.ToArray());
        using (ProtectedFileStream stream = Service().Open("log.txt", FileMode.Append, SealingPolicy.MrSigner))
        {
            stream.Write("second"u8);
        }

        Assert.Equal("first second"u8.ToArray(), ReadFile("log.txt"));
    }

    private static void Write(MemoryStream model, long offset, byte[] data)
    {
        model.Position = offset;
        model.Write(data);
    }

    private static byte[] Read(Stream stream, long offset, int count)
    {
        stream.Position = offset;
        byte[] buffer = new byte[count];
        int read = stream.ReadAtLeast(buffer, count, throwOnEndOfStream: false);
        return buffer[..read];
    }
}
