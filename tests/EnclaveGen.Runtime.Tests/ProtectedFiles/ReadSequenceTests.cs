using EnclaveGen.Runtime.ProtectedFiles;
using static EnclaveGen.Runtime.ProtectedFiles.ProtectedFileLayout;

namespace EnclaveGen.Runtime.Tests.ProtectedFiles;

/// <summary>
/// Sequences of large reads (straight into the reader's buffer) mixed with small ones, seeks
/// backwards, writes, cuts, flushes and tampering, against a plain file's bytes: what a reader sees
/// is the file's state at the time of the read, whatever it read before, and a block or tree node
/// that does not authenticate fails the read that reaches it with none of that read handed out
/// (docs/protected-files.md, "Reading").
/// </summary>
public sealed class ReadSequenceTests : ProtectedFileFixture
{
    private const int ReadSize = 16 * BlockSize;

    [Fact]
    public void LargeAndSmallReadsWithSeeksBackwardsReadTheFile()
    {
        byte[] content = RandomBytes(500 * BlockSize, 2);
        WriteFile("seek.bin", content);
        using ProtectedFileStream stream = OpenSmall("seek.bin", FileAccess.Read);
        byte[] buffer = new byte[3 * ReadSize];
        Random random = new(3);
        long position = 0;
        for (int i = 0; i < 300; i++)
        {
            // Mostly onwards, often back by up to 40 blocks (into blocks just read, direct or cached), sometimes anywhere.
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
    public void ABlockChangedAndCommittedAfterASequentialReadIsReadAsItIsNow()
    {
        // Blocks 0 to 31 are read straight into the reader's buffer; block 40 is then changed,
        // committed and evicted from the cache. Reading on must give the new bytes: any ciphertext
        // kept from before the commit (a read-ahead of the host's bytes) would not even authenticate
        // against the new tree entry (tried and dropped: docs/performance.md, "A kept run of a
        // sequential reader's ciphertext").
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
    public void ATamperedBlockFailsTheSequentialReadThatReachesItAndHandsOutNoneOfIt()
    {
        byte[] content = RandomBytes(200 * BlockSize, 10);
        WriteFile("tampered.bin", content);
        FlipHostBit("tampered.bin", PhysicalOfData(60), 100);

        using ProtectedFileStream stream = OpenSmall("tampered.bin", FileAccess.Read);
        byte[] buffer = new byte[ReadSize];
        for (int block = 0; block < 48; block += 16)
        {
            stream.ReadExactly(buffer);
            Assert.Equal(content.AsSpan(block * BlockSize, ReadSize).ToArray(), buffer);
        }

        buffer.AsSpan().Fill(0xEE);
        ProtectedFileException error = Refused(() => stream.ReadExactly(buffer));

        Assert.Equal(ProtectedFileFailure.Tampered, error.Reason);
        Assert.Contains("data block 60 ", error.Message, StringComparison.Ordinal);
        Assert.True(buffer.AsSpan().IndexOfAnyExcept((byte)0) < 0, "the failed read's bytes were left in the buffer");
        Assert.Equal(ProtectedFileFailure.Faulted, Refused(() => stream.ReadByte()).Reason);
    }

    [Fact]
    public void ATamperedTreeNodeFailsTheSequentialReadThatNeedsItBeforeItWritesAByte()
    {
        WriteFile("tree.bin", RandomBytes(300 * BlockSize, 11));
        FlipHostBit("tree.bin", PhysicalOfTree(1), 5);

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

    private ProtectedFileStream OpenSmall(string name, FileAccess access) =>
        Service().Open(name, FileMode.Open, access, SealingPolicy.MrSigner, Options(cacheBytes: ProtectedFileOptions.MinCacheBytes));
}
