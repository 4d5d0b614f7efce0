using System.Buffers.Binary;
using System.Security.Cryptography;
using EnclaveGen.Runtime.ProtectedFiles;
using EnclaveGen.Runtime.Sealing;
using static EnclaveGen.Runtime.ProtectedFiles.ProtectedFileLayout;

namespace EnclaveGen.Runtime.Tests.ProtectedFiles;

/// <summary>
/// A protected file's nodes are plain AES-256-GCM as docs/protected-files.md lays them out,
/// whichever AES-GCM implementation the runtime picked on this machine: .NET's <see cref="AesGcm"/>,
/// given the file's key from its header, decrypts the root tree node and, through its entries,
/// every data block back to what was written. (The other direction, the runtime's implementation
/// opening what .NET's sealed, byte for byte the same, is <c>Crypto/DifferentialTests</c>.)
/// </summary>
public sealed class StandardAesGcmTests : ProtectedFileFixture
{
    private const byte DataKind = 1;
    private const byte TreeKind = 2;

    [Fact]
    public void EveryDataBlockOfTheFirstTreeNodeDecryptsWithDotNetsAesGcm()
    {
        byte[] content = RandomBytes((DataPerNode * BlockSize) - 1000, 7);
        WriteFile("standard.bin", content);

        byte[] stored = Storage.Get("standard.bin")!;
        ProtectedFileMetadata metadata = ProtectedFileHeader.Read(
            stored.AsSpan(0, BlockSize), "standard.bin", SealingPolicy.MrSigner, new SealingService(Platform, Identity()));
        using var aes = new AesGcm(metadata.DataKey, TagSize);

        byte[] tree = Decrypt(aes, stored, PhysicalOfTree(0), TreeKind, 0, metadata.Root);
        for (int block = 0; block < DataBlocks(content.Length); block++)
        {
            byte[] plain = Decrypt(aes, stored, PhysicalOfData(block), DataKind, block, tree.AsSpan(block * EntrySize, EntrySize));
            int length = Math.Min(BlockSize, content.Length - (block * BlockSize));
            Assert.Equal(content.AsSpan(block * BlockSize, length), plain.AsSpan(0, length));
        }
    }

    // A node at its physical block, against its entry (nonce, tag) and the associated data "EGPN", 1, kind, 0, 0, number.
    private static byte[] Decrypt(AesGcm aes, byte[] stored, long physical, byte kind, long number, ReadOnlySpan<byte> entry)
    {
        Span<byte> associated = stackalloc byte[16];
        "EGPN"u8.CopyTo(associated);
        associated[4] = 1;
        associated[5] = kind;
        BinaryPrimitives.WriteInt64LittleEndian(associated[8..], number);
        byte[] plain = new byte[BlockSize];
        aes.Decrypt(entry[..NonceSize], stored.AsSpan(checked((int)(physical * BlockSize)), BlockSize), entry[NonceSize..], plain, associated);
        return plain;
    }
}
