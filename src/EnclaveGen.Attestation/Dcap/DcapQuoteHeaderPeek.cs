using System.Buffers.Binary;

namespace EnclaveGen.Attestation.Formats;

/// <summary>A look at the first 8 bytes of a DCAP quote, for format detection; it validates nothing else.</summary>
internal static class DcapQuoteHeaderPeek
{
    /// <summary>True when the version is one of <paramref name="versions"/>, the key type ECDSA P-256 and the TEE type <paramref name="teeType"/>.</summary>
    public static bool Matches(ReadOnlySpan<byte> evidence, ReadOnlySpan<ushort> versions, uint teeType) =>
        evidence.Length >= DcapQuoteHeader.Size
        && versions.Contains(BinaryPrimitives.ReadUInt16LittleEndian(evidence))
        && BinaryPrimitives.ReadUInt16LittleEndian(evidence[2..]) == DcapQuoteHeader.AttestationKeyTypeEcdsaP256
        && BinaryPrimitives.ReadUInt32LittleEndian(evidence[4..]) == teeType;
}
