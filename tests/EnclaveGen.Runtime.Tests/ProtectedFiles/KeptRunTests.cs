using EnclaveGen.Runtime.ProtectedFiles;
using static EnclaveGen.Runtime.ProtectedFiles.ProtectedFileLayout;

namespace EnclaveGen.Runtime.Tests.ProtectedFiles;

/// <summary>
/// A sequential reader's large reads take a longer run of the host's ciphertext in one storage
/// call and keep it, so the reads that follow need no call (docs/protected-files.md, "Reading"):
/// every block still authenticates against the tree, a tampered one fails the read that reaches
/// it, and a write, cut, flush or commit drops the run, so ciphertext kept from before a change is
/// never served after it.
/// </summary>
public sealed class KeptRunTests : ProtectedFileFixture
{
    private const int ReadSize = 16 * BlockSize;

    [Fact]
    public void SequentialReadsAfterTheFirstComeFromTheKeptRunAcrossTreeNodesWithoutStorageCalls()
    {
        byte[] content = RandomBytes(300 * BlockSize, 1);
        WriteFile("seq.bin", content);

        // A 1 MiB cache: a run of 256 blocks (data blocks 16 to 269 with tree nodes 1 and 2 between them).
        using ProtectedFileStream stream = Service().Open("seq.bin", FileMode.Open, FileAccess.Read, SealingPolicy.MrSigner, Options());
        byte[] buffer = new byte[ReadSize];
        stream.ReadExactly(buffer);
        Assert.Equal(0, stream.KeptRunBlocks);
        stream.ReadExactly(buffer);
        Assert.Equal(256, stream.KeptRunBlocks);

        int operations = Storage.Operations;
        for (int block = 32; block + 16 <= 256; block += 16)
        {
            stream.ReadExactly(buffer);
            Assert.Equal(content.AsSpan(block * BlockSize, ReadSize).ToArray(), buffer);
        }

        Assert.Equal(operations, Storage.Operations);

        // Tree nodes 1 and 2 came from the run into the cache beside node 0; the data blocks never entered it.
        Assert.Equal(3, stream.CacheUse.Count);
        stream.Position = 0;
        Assert.Equal(content, ReadInPieces(stream, ReadSize));
    }

    [Fact]
    public void ReadsWithSeeksBackwardsGetTheFileFromTheRunOrTheHost()
    {
        byte[] content = RandomBytes(500 * BlockSize, 2);
        WriteFile("seek.bin", content);
        using ProtectedFileStream stream = OpenSmall("seek.bin", FileAccess.Read);
        byte[] buffer = new byte[3 * ReadSize];
        Random random = new(3);
        long position = 0;
        for (int i = 0; i < 300; i++)
        {
            // Mostly onwards, often back by up to 40 blocks (into the run or before it), sometimes anywhere.
            position = random.Next(4) switch
            {
                0 => Math.Max(0, position - (random.Next(1, 41) * BlockSize)),
                1 => random.Next(content.Length),
                _ => position,
            };
            int length = random.Next(2) == 0 ? ReadSize : random.Next(1, buffer.Length);
            stream.Position = position;
            int read = stream.ReadAtLeast(buffer.AsSpan(0, length), length, throwOnEndOfStream: false);
            Assert.Equal(Math.Min(length, content.Length - position), read);
            Assert.True(content.AsSpan((int)position, read).SequenceEqual(buffer.AsSpan(0, read)), $"read {i} at {position} ({length} bytes) differs");
            position += read;
            if (position == content.Length)
            {
                position = 0;
            }
        }
    }

    [Fact]
    public void ASeekBackIntoTheKeptRunNeedsNoStorageCall()
    {
        byte[] content = RandomBytes(96 * BlockSize, 4);
        WriteFile("back.bin", content);
        using ProtectedFileStream stream = OpenSmall("back.bin", FileAccess.Read);
        byte[] buffer = new byte[ReadSize];
        stream.ReadExactly(buffer);
        stream.ReadExactly(buffer);
        Assert.Equal(32, stream.KeptRunBlocks);

        int operations = Storage.Operations;
        stream.Position = 20 * BlockSize;
        stream.ReadExactly(buffer);
        stream.Position = 16 * BlockSize;
        stream.ReadExactly(buffer.AsSpan(0, 3 * BlockSize));

        Assert.Equal(operations, Storage.Operations);
        Assert.Equal(content.AsSpan(16 * BlockSize, 3 * BlockSize).ToArray(), buffer.AsSpan(0, 3 * BlockSize).ToArray());
    }

    [Theory]
    [InlineData("write")]
    [InlineData("cut")]
    [InlineData("flush")]
    public void AWriteCutOrFlushDropsTheKeptRun(string change)
    {
        WriteFile("drop.bin", RandomBytes(200 * BlockSize, 5));
        using ProtectedFileStream stream = OpenSmall("drop.bin", FileAccess.ReadWrite);
        byte[] buffer = new byte[ReadSize];
        stream.ReadExactly(buffer);
        stream.ReadExactly(buffer);
        Assert.Equal(32, stream.KeptRunBlocks);

        switch (change)
        {
            case "write":
                stream.Position = 150 * BlockSize;
                stream.WriteByte(1);
                break;
            case "cut":
                stream.SetLength(190 * BlockSize);
                break;
            default:
                stream.Flush();
                break;
        }

        Assert.Equal(0, stream.KeptRunBlocks);
    }

    [Fact]
    public void ABlockChangedAndCommittedAfterItWasKeptIsReadAsItIsNow()
    {
        // Blocks 16 to 47 are kept; block 40 is then changed, committed and evicted from the cache,
        // so only the run (if it were still kept) holds its old ciphertext. The read must give the
        // new bytes: old ciphertext against the new tree entry would not even authenticate.
        byte[] model = RandomBytes(300 * BlockSize, 6);
        WriteFile("changed.bin", model);
        using ProtectedFileStream stream = OpenSmall("changed.bin", FileAccess.ReadWrite);
        byte[] buffer = new byte[ReadSize];
        stream.ReadExactly(buffer);
        stream.ReadExactly(buffer);

        byte[] change = RandomBytes(BlockSize, 7);
        change.CopyTo(model, 40 * BlockSize);
        stream.Position = 40 * BlockSize;
        stream.Write(change);
        stream.Flush();
        for (int block = 200; block < 264; block++)
        {
            stream.Position = block * BlockSize;
            stream.ReadByte();
        }

        stream.Position = 32 * BlockSize;
        stream.ReadExactly(buffer);
        Assert.Equal(model.AsSpan(32 * BlockSize, ReadSize).ToArray(), buffer);
        stream.Position = 0;
        Assert.Equal(model, ReadInPieces(stream, ReadSize));
    }

    [Fact]
    public void WritesCutsFlushesAndReadsInAnyOrderMatchAPlainFile()
    {
        byte[] initial = RandomBytes(400 * BlockSize, 8);
        WriteFile("mixed.bin", initial);
        MemoryStream model = new();
        model.Write(initial);
        Random random = new(9);
        using (ProtectedFileStream stream = OpenSmall("mixed.bin", FileAccess.ReadWrite))
        {
            byte[] buffer = new byte[4 * ReadSize];
            for (int i = 0; i < 400; i++)
            {
                int action = random.Next(20);
                long at = random.Next((int)model.Length + 1);
                if (action == 0)
                {
                    long length = random.Next(100 * BlockSize, 450 * BlockSize);
                    stream.SetLength(length);
                    model.SetLength(length);
                }
                else if (action == 1)
                {
                    stream.Flush();
                }
                else if (action <= 4)
                {
                    byte[] data = RandomBytes(random.Next(1, 3 * BlockSize), i);
                    stream.Position = model.Position = at;
                    stream.Write(data);
                    model.Write(data);
                }
                else
                {
                    // Sequential large reads from a point, a few in a row.
                    stream.Position = model.Position = at;
                    for (int j = random.Next(1, 6); j > 0; j--)
                    {
                        int length = random.Next(3) == 0 ? random.Next(1, buffer.Length) : ReadSize;
                        int read = stream.Read(buffer.AsSpan(0, length));
                        byte[] expected = new byte[length];
                        Assert.Equal(model.Read(expected), read);
                        Assert.True(expected.AsSpan(0, read).SequenceEqual(buffer.AsSpan(0, read)), $"step {i}: a read at {stream.Position - read} differs");
                    }
                }
            }
        }

        Assert.Equal(model.ToArray(), ReadFile("mixed.bin"));
    }

    [Fact]
    public void ATamperedBlockInTheKeptRunFailsTheReadThatReachesItAndHandsOutNoneOfIt()
    {
        byte[] content = RandomBytes(200 * BlockSize, 10);
        WriteFile("tampered.bin", content);
        byte[] host = Storage.Get("tampered.bin")!;
        host[(PhysicalOfData(60) * BlockSize) + 100] ^= 1;
        Storage.Set("tampered.bin", host);

        using ProtectedFileStream stream = OpenSmall("tampered.bin", FileAccess.Read);
        byte[] buffer = new byte[ReadSize];
        for (int block = 0; block < 48; block += 16)
        {
            stream.ReadExactly(buffer);
            Assert.Equal(content.AsSpan(block * BlockSize, ReadSize).ToArray(), buffer);
        }

        Assert.Equal(32, stream.KeptRunBlocks);
        buffer.AsSpan().Fill(0xEE);
        ProtectedFileException error = Refused(() => stream.ReadExactly(buffer));

        Assert.Equal(ProtectedFileFailure.Tampered, error.Reason);
        Assert.Contains("data block 60 ", error.Message, StringComparison.Ordinal);
        Assert.True(buffer.AsSpan().IndexOfAnyExcept((byte)0) < 0, "the failed read's bytes were left in the buffer");
        Assert.Equal(ProtectedFileFailure.Faulted, Refused(() => stream.ReadByte()).Reason);
    }

    [Fact]
    public void ATamperedTreeNodeInTheKeptRunFailsTheReadThatNeedsIt()
    {
        WriteFile("tree.bin", RandomBytes(300 * BlockSize, 11));
        byte[] host = Storage.Get("tree.bin")!;
        host[(PhysicalOfTree(1) * BlockSize) + 5] ^= 1;
        Storage.Set("tree.bin", host);

        // A 1 MiB cache: the run from block 16 holds tree node 1 and its blocks.
        using ProtectedFileStream stream = Service().Open("tree.bin", FileMode.Open, FileAccess.Read, SealingPolicy.MrSigner, Options());
        byte[] buffer = new byte[ReadSize];
        for (int block = 0; block < DataPerNode; block += 16)
        {
            stream.ReadExactly(buffer);
        }

        buffer.AsSpan().Fill(0xEE);
        ProtectedFileException error = Refused(() => stream.ReadExactly(buffer));
        Assert.Equal(ProtectedFileFailure.Tampered, error.Reason);
        Assert.Contains("tree node 1 does not authenticate", error.Message, StringComparison.Ordinal);
        Assert.True(buffer.AsSpan().IndexOfAnyExcept((byte)0xEE) < 0, "the failed read wrote into the buffer");
    }

    // The smallest cache: a kept run of 32 blocks (128 KiB).
    private ProtectedFileStream OpenSmall(string name, FileAccess access) =>
        Service().Open(name, FileMode.Open, access, SealingPolicy.MrSigner, Options(cacheBytes: ProtectedFileOptions.MinCacheBytes));
}
