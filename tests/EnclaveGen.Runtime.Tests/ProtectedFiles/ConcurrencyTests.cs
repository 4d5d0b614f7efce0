using EnclaveGen.Runtime.ProtectedFiles;

namespace EnclaveGen.Runtime.Tests.ProtectedFiles;

/// <summary>Any number of readers share a file, each with its own stream; a writer has it alone.</summary>
public sealed class ConcurrencyTests : ProtectedFileFixture
{
    [Fact]
    public void ConcurrentReadersEachSeeTheFilesBytes()
    {
        byte[] content = RandomBytes(2 * 1024 * 1024, 8);
        WriteFile("shared.bin", content);
        ProtectedFileService service = Service();
        ProtectedFileStream[] readers = [.. Enumerable.Range(0, 4).Select(_ => service.Open("shared.bin", FileMode.Open, FileAccess.Read, SealingPolicy.MrSigner, Options(cacheBytes: ProtectedFileOptions.MinCacheBytes)))];
        try
        {
            Parallel.For(0, readers.Length, new ParallelOptions { MaxDegreeOfParallelism = readers.Length }, index =>
            {
                Random random = new(index);
                byte[] buffer = new byte[4096];
                for (int i = 0; i < 150; i++)
                {
                    long offset = random.NextInt64(0, content.Length - buffer.Length);
                    readers[index].Position = offset;
                    readers[index].ReadExactly(buffer);
                    Assert.True(buffer.AsSpan().SequenceEqual(content.AsSpan((int)offset, buffer.Length)), $"reader {index} read wrong bytes at {offset}");
                }
            });

            // While readers hold it, no writer may open it.
            Assert.Equal(ProtectedFileFailure.InUse, Refused(() => service.Open("shared.bin", FileMode.Open, SealingPolicy.MrSigner)).Reason);
        }
        finally
        {
            foreach (ProtectedFileStream reader in readers)
            {
                reader.Dispose();
            }
        }

        using ProtectedFileStream writer = service.Open("shared.bin", FileMode.Open, SealingPolicy.MrSigner);
        Assert.Equal(ProtectedFileFailure.InUse, Refused(() => service.Open("shared.bin", FileMode.Open, FileAccess.Read, SealingPolicy.MrSigner)).Reason);
    }

    [Fact]
    public void OneStreamSharedByThreadsStaysConsistent()
    {
        byte[] content = RandomBytes(512 * 1024, 9);
        WriteFile("one.bin", content);
        using ProtectedFileStream stream = Service().Open("one.bin", FileMode.Open, SealingPolicy.MrSigner, Options(cacheBytes: ProtectedFileOptions.MinCacheBytes));
        ProtectedFile file = stream.File;

        // The file's own operations (what the stream calls) take its lock: threads writing disjoint blocks never lose a write.
        Parallel.For(0, 8, thread =>
        {
            byte[] mark = [(byte)(thread + 1)];
            for (int block = thread; block < 128; block += 8)
            {
                file.Write((block * 4096) + 17, mark);
            }
        });

        byte[] back = new byte[content.Length];
        Assert.Equal(content.Length, file.Read(0, back));
        for (int block = 0; block < 128; block++)
        {
            Assert.Equal((byte)((block % 8) + 1), back[(block * 4096) + 17]);
        }
    }
}
