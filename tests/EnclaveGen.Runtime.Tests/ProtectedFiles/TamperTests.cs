using EnclaveGen.Runtime.ProtectedFiles;
using static EnclaveGen.Runtime.ProtectedFiles.ProtectedFileLayout;

namespace EnclaveGen.Runtime.Tests.ProtectedFiles;

/// <summary>
/// The host changes a protected file's bytes in every way it can; each change is refused with a
/// typed error, and the same procedure on the untouched file reads every byte back.
/// </summary>
public sealed class TamperTests : ProtectedFileFixture
{
    // 300 blocks: tree nodes 0 to 3 (node 1, 2 and 3 are children of node 0), so tampering can hit data and tree nodes.
    private static readonly byte[] s_content = RandomBytes((300 * BlockSize) - 123, 42);

    public enum Tamper
    {
        FlipABitInADataBlock,
        SwapTwoDataBlocks,
        MoveADataBlockUnderAnotherTreeNode,
        ReverseTheDataBlocksOfATreeNode,
        FlipABitInATreeNode,
        SwapTwoTreeNodes,
        ADataBlockFromAnotherFile,
        ADataBlockFromAnOlderVersion,
        ATreeNodeFromAnOlderVersion,
        TheHeaderFromAnOlderVersion,
        FlipABitInTheSealedHeader,
        FlipABitAfterTheSealedHeader,
        FlipTheCounterFlagInTheHeader,
        CutOffTheLastBlock,
        CutOffInsideTheLastBlock,
        CutOffAfterTheHeader,
        TheWholeFileOfAnotherName,
        NotAProtectedFile,
        AnotherFormatVersion,
        AForgedJournalNamingABlockOutsideTheFile,
    }

    private static readonly (Tamper Tamper, ProtectedFileFailure Expected)[] s_cases =
    [
        (Tamper.FlipABitInADataBlock, ProtectedFileFailure.Tampered),
        (Tamper.SwapTwoDataBlocks, ProtectedFileFailure.Tampered),
        (Tamper.MoveADataBlockUnderAnotherTreeNode, ProtectedFileFailure.Tampered),
        (Tamper.ReverseTheDataBlocksOfATreeNode, ProtectedFileFailure.Tampered),
        (Tamper.FlipABitInATreeNode, ProtectedFileFailure.Tampered),
        (Tamper.SwapTwoTreeNodes, ProtectedFileFailure.Tampered),
        (Tamper.ADataBlockFromAnotherFile, ProtectedFileFailure.Tampered),
        (Tamper.ADataBlockFromAnOlderVersion, ProtectedFileFailure.Tampered),
        (Tamper.ATreeNodeFromAnOlderVersion, ProtectedFileFailure.Tampered),
        (Tamper.TheHeaderFromAnOlderVersion, ProtectedFileFailure.Tampered),
        (Tamper.FlipABitInTheSealedHeader, ProtectedFileFailure.Tampered),
        (Tamper.FlipABitAfterTheSealedHeader, ProtectedFileFailure.Tampered),
        (Tamper.FlipTheCounterFlagInTheHeader, ProtectedFileFailure.Tampered),
        (Tamper.CutOffTheLastBlock, ProtectedFileFailure.Truncated),
        (Tamper.CutOffInsideTheLastBlock, ProtectedFileFailure.Truncated),
        (Tamper.CutOffAfterTheHeader, ProtectedFileFailure.Truncated),
        (Tamper.TheWholeFileOfAnotherName, ProtectedFileFailure.AnotherFile),
        (Tamper.NotAProtectedFile, ProtectedFileFailure.NotProtectedFile),
        (Tamper.AnotherFormatVersion, ProtectedFileFailure.UnsupportedVersion),
        (Tamper.AForgedJournalNamingABlockOutsideTheFile, ProtectedFileFailure.Tampered),
    ];

    /// <summary>Every change, read in single blocks (through the cache) and in 1 MiB reads (whole blocks straight into the reader's buffer).</summary>
    public static TheoryData<Tamper, ProtectedFileFailure, int> Cases
    {
        get
        {
            TheoryData<Tamper, ProtectedFileFailure, int> cases = [];
            foreach ((Tamper tamper, ProtectedFileFailure expected) in s_cases)
            {
                cases.Add(tamper, expected, BlockSize);
                cases.Add(tamper, expected, 1024 * 1024);
            }

            return cases;
        }
    }

    [Theory]
    [InlineData(BlockSize)]
    [InlineData(1024 * 1024)]
    public void TheUntouchedFileReadsBack(int readSize)
    {
        Prepare();
        Assert.Equal(s_content, ReadInPieces("data.bin", readSize));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void EveryChangeIsRefusedWithATypedError(Tamper tamper, ProtectedFileFailure expected, int readSize)
    {
        Prepare();
        Apply(tamper);

        ProtectedFileException error = Refused(() => ReadInPieces("data.bin", readSize));

        Assert.Equal(expected, error.Reason);
        Assert.Equal("data.bin", error.FileName);
        Assert.Contains("'data.bin'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("rolled back", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void AFlippedDataBlockIsNamedInTheError()
    {
        Prepare();
        FlipBit(PhysicalOfData(5), 100);

        ProtectedFileException error = Refused(() => ReadFile("data.bin"));

        Assert.Contains("data block 5 (bytes 20480 to 24575)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AfterATamperedReadTheStreamStaysUnusable()
    {
        Prepare();
        FlipBit(PhysicalOfData(200), 7);
        using ProtectedFileStream stream = Service().Open("data.bin", FileMode.Open, FileAccess.Read, SealingPolicy.MrSigner);
        stream.Position = 200 * BlockSize;
        Assert.Equal(ProtectedFileFailure.Tampered, Refused(() => stream.ReadByte()).Reason);

        stream.Position = 0;
        Assert.Equal(ProtectedFileFailure.Faulted, Refused(() => stream.ReadByte()).Reason);
    }

    [Fact]
    public void BytesPastTheFilesEndAreIgnored()
    {
        // A commit that shrinks the file cuts the host file after its commit point; a crash there
        // leaves unused bytes behind, which are not part of the file and never read.
        Prepare();
        Storage.Set("data.bin", [.. Storage.Get("data.bin")!, .. new byte[3 * BlockSize]]);

        Assert.Equal(s_content, ReadFile("data.bin"));
    }

    [Fact]
    public void AnEmptyHostFileIsAMissingFile()
    {
        Prepare();
        Storage.Set("data.bin", []);

        Assert.Equal(ProtectedFileFailure.NotFound, Refused(() => ReadFile("data.bin")).Reason);
    }

    private byte[] ReadInPieces(string name, int readSize)
    {
        using ProtectedFileStream stream = Service().Open(name, FileMode.Open, FileAccess.Read, SealingPolicy.MrSigner);
        return ReadInPieces(stream, readSize);
    }

    private void Prepare()
    {
        WriteFile("data.bin", s_content);
        WriteFile("other.bin", s_content);
    }

    private void Apply(Tamper tamper)
    {
        byte[] file = Storage.Get("data.bin")!;
        switch (tamper)
        {
            case Tamper.FlipABitInADataBlock:
                FlipBit(PhysicalOfData(5), 100);
                break;
            case Tamper.SwapTwoDataBlocks:
                SwapNodes(PhysicalOfData(5), PhysicalOfData(6));
                break;
            case Tamper.MoveADataBlockUnderAnotherTreeNode:
                CopyNode(file, PhysicalOfData(5), PhysicalOfData(101));
                break;
            case Tamper.ReverseTheDataBlocksOfATreeNode:
                for (int i = 0; i < DataPerNode / 2; i++)
                {
                    SwapNodes(PhysicalOfData(i), PhysicalOfData(DataPerNode - 1 - i));
                }

                break;
            case Tamper.FlipABitInATreeNode:
                FlipBit(PhysicalOfTree(1), 3000);
                break;
            case Tamper.SwapTwoTreeNodes:
                SwapNodes(PhysicalOfTree(1), PhysicalOfTree(2));
                break;
            case Tamper.ADataBlockFromAnotherFile:
                CopyNode(Storage.Get("other.bin")!, PhysicalOfData(5), PhysicalOfData(5));
                break;
            case Tamper.ADataBlockFromAnOlderVersion:
                RewriteBlockFive();
                CopyNode(file, PhysicalOfData(5), PhysicalOfData(5));
                break;
            case Tamper.ATreeNodeFromAnOlderVersion:
                RewriteBlockFive();
                CopyNode(file, PhysicalOfTree(0), PhysicalOfTree(0));
                break;
            case Tamper.TheHeaderFromAnOlderVersion:
                RewriteBlockFive();
                CopyNode(file, 0, 0);
                break;
            case Tamper.FlipABitInTheSealedHeader:
                FlipBit(0, 200);
                break;
            case Tamper.FlipABitAfterTheSealedHeader:
                FlipBit(0, 3000);
                break;
            case Tamper.FlipTheCounterFlagInTheHeader:
                FlipBit(0, 5);
                break;
            case Tamper.CutOffTheLastBlock:
                Storage.Set("data.bin", file[..^BlockSize]);
                break;
            case Tamper.CutOffInsideTheLastBlock:
                Storage.Set("data.bin", file[..^100]);
                break;
            case Tamper.CutOffAfterTheHeader:
                Storage.Set("data.bin", file[..BlockSize]);
                break;
            case Tamper.TheWholeFileOfAnotherName:
                Storage.Set("data.bin", Storage.Get("other.bin"));
                break;
            case Tamper.NotAProtectedFile:
                FlipBit(0, 0);
                break;
            case Tamper.AnotherFormatVersion:
                FlipBit(0, 4);
                break;
            case Tamper.AForgedJournalNamingABlockOutsideTheFile:
                Storage.Set("data.bin", ForgedJournal(file.Length, nodeIndex: file.Length / BlockSize), ProtectedFilePart.Journal);
                break;
        }
    }

    private void RewriteBlockFive()
    {
        using ProtectedFileStream stream = Service().Open("data.bin", FileMode.Open, SealingPolicy.MrSigner);
        stream.Position = 5 * BlockSize;
        stream.Write(RandomBytes(BlockSize, 99));
    }

    private void FlipBit(long node, int byteInNode) => FlipHostBit("data.bin", node, byteInNode);

    private void SwapNodes(long a, long b)
    {
        byte[] file = Storage.Get("data.bin")!;
        byte[] first = file.AsSpan((int)(a * BlockSize), BlockSize).ToArray();
        file.AsSpan((int)(b * BlockSize), BlockSize).CopyTo(file.AsSpan((int)(a * BlockSize)));
        first.CopyTo(file.AsSpan((int)(b * BlockSize)));
        Storage.Set("data.bin", file);
    }

    private void CopyNode(byte[] source, long from, long to)
    {
        byte[] file = Storage.Get("data.bin")!;
        source.AsSpan((int)(from * BlockSize), BlockSize).CopyTo(file.AsSpan((int)(to * BlockSize)));
        Storage.Set("data.bin", file);
    }

    /// <summary>A journal that is complete (its hash matches) but restores a node past the file it describes: only a host writes that.</summary>
    private static byte[] ForgedJournal(long oldLength, long nodeIndex)
    {
        byte[] journal = new byte[ProtectedFileJournal.HeaderSize + ProtectedFileJournal.RecordSize + ProtectedFileJournal.HashSize];
        "EGPJ"u8.CopyTo(journal);
        journal[4] = 1;
        BitConverter.TryWriteBytes(journal.AsSpan(8), oldLength);
        BitConverter.TryWriteBytes(journal.AsSpan(16), 1);
        BitConverter.TryWriteBytes(journal.AsSpan(ProtectedFileJournal.HeaderSize), nodeIndex);
        System.Security.Cryptography.SHA256.HashData(journal.AsSpan(0, journal.Length - ProtectedFileJournal.HashSize), journal.AsSpan(journal.Length - ProtectedFileJournal.HashSize));
        return journal;
    }
}
