using System.Buffers.Binary;
using EnclaveGen.Attestation.Formats;

namespace EnclaveGen;

/// <summary>
/// What one enclave needs to know about another to make a report only that other enclave can
/// verify (SGX's TARGETINFO): its MRENCLAVE, attributes and MISCSELECT. Encoded as 52 bytes:
/// MRENCLAVE (32) · attribute flags (8) · XFRM (8) · MISCSELECT (4), little-endian.
/// </summary>
public readonly record struct EnclaveTargetInfo(ReadOnlyMemory<byte> MrEnclave, SgxAttributes Attributes, uint MiscSelect)
{
    /// <summary>The encoded size.</summary>
    public const int Size = 52;

    /// <summary>The 52-byte encoding, to hand to the other enclave (through the host: it is not secret).</summary>
    public byte[] ToBytes()
    {
        byte[] bytes = new byte[Size];
        MrEnclave.Span.CopyTo(bytes);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(32), Attributes.Flags);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(40), Attributes.Xfrm);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(48), MiscSelect);
        return bytes;
    }

    /// <summary>Parses the 52-byte encoding.</summary>
    /// <exception cref="ArgumentException">The input is not 52 bytes.</exception>
    public static EnclaveTargetInfo Parse(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Size)
        {
            throw new ArgumentException($"Target info is {Size} bytes (MRENCLAVE, attributes, MISCSELECT); got {bytes.Length}.", nameof(bytes));
        }

        return new EnclaveTargetInfo(
            bytes.Slice(0, 32).ToArray(),
            new SgxAttributes(BinaryPrimitives.ReadUInt64LittleEndian(bytes.Slice(32)), BinaryPrimitives.ReadUInt64LittleEndian(bytes.Slice(40))),
            BinaryPrimitives.ReadUInt32LittleEndian(bytes.Slice(48)));
    }
}
