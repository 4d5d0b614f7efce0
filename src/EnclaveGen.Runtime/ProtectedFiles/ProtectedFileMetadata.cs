using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace EnclaveGen.Runtime.ProtectedFiles;

/// <summary>
/// What the header seals (docs/protected-files.md): the file's data key, its size, the tree's root
/// entry, the commit sequence, the key's use count and the counter binding, and the file's name.
/// </summary>
internal sealed class ProtectedFileMetadata
{
    public const int KeySize = 32;
    public const int CounterIdSize = 32;
    private const int NameOffset = 126;

    public required byte[] DataKey { get; init; }

    public required string Name { get; init; }

    public long Size { get; set; }

    public ulong Sequence { get; set; }

    /// <summary>How many node encryptions the data key has done (random nonces: the key retires long before they could repeat).</summary>
    public ulong NodeWrites { get; set; }

    public byte[] Root { get; set; } = new byte[ProtectedFileLayout.EntrySize];

    /// <summary>The file's monotonic counter (64 hex digits), or null when the file is not bound to one.</summary>
    public string? CounterId { get; init; }

    /// <summary>The counter's value this commit stands for.</summary>
    public ulong CounterValue { get; set; }

    public int EncodedLength => NameOffset + Name.Length;

    public byte[] Encode()
    {
        byte[] plain = new byte[EncodedLength];
        DataKey.CopyTo(plain, 0);
        BinaryPrimitives.WriteInt64LittleEndian(plain.AsSpan(32), Size);
        BinaryPrimitives.WriteUInt64LittleEndian(plain.AsSpan(40), Sequence);
        BinaryPrimitives.WriteUInt64LittleEndian(plain.AsSpan(48), NodeWrites);
        Root.CopyTo(plain, 56);
        if (CounterId is not null)
        {
            Convert.FromHexString(CounterId).CopyTo(plain, 84);
        }

        BinaryPrimitives.WriteUInt64LittleEndian(plain.AsSpan(116), CounterValue);
        BinaryPrimitives.WriteUInt16LittleEndian(plain.AsSpan(124), (ushort)Name.Length);
        Encoding.ASCII.GetBytes(Name, plain.AsSpan(NameOffset));
        return plain;
    }

    /// <summary>Decodes authenticated metadata; null when its fields are inconsistent (which only a bug could produce, since it was authenticated).</summary>
    public static ProtectedFileMetadata? Decode(ReadOnlySpan<byte> plain)
    {
        if (plain.Length < NameOffset)
        {
            return null;
        }

        int nameLength = BinaryPrimitives.ReadUInt16LittleEndian(plain[124..]);
        long size = BinaryPrimitives.ReadInt64LittleEndian(plain[32..]);
        if (plain.Length != NameOffset + nameLength || size < 0 || size > ProtectedFileLayout.MaxFileSize)
        {
            return null;
        }

        string name = Encoding.ASCII.GetString(plain.Slice(NameOffset, nameLength));
        ReadOnlySpan<byte> counterId = plain.Slice(84, CounterIdSize);
        return new ProtectedFileMetadata
        {
            DataKey = plain[..KeySize].ToArray(),
            Name = name,
            Size = size,
            Sequence = BinaryPrimitives.ReadUInt64LittleEndian(plain[40..]),
            NodeWrites = BinaryPrimitives.ReadUInt64LittleEndian(plain[48..]),
            Root = plain.Slice(56, ProtectedFileLayout.EntrySize).ToArray(),
            CounterId = ProtectedFileLayout.IsZero(counterId) ? null : Convert.ToHexStringLower(counterId),
            CounterValue = BinaryPrimitives.ReadUInt64LittleEndian(plain[116..]),
        };
    }

    /// <summary>A fresh, empty file's metadata with a new random data key.</summary>
    public static ProtectedFileMetadata CreateNew(string name, string? counterId) => new()
    {
        DataKey = RandomNumberGenerator.GetBytes(KeySize),
        Name = name,
        CounterId = counterId,
    };
}
