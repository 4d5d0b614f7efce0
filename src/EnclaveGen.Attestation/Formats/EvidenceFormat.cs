using System.Buffers.Binary;

namespace EnclaveGen.Attestation.Formats;

/// <summary>The evidence formats the toolkit recognises.</summary>
public enum EvidenceFormat
{
    /// <summary>Not a recognised format.</summary>
    Unknown,

    /// <summary>An Intel SGX DCAP quote, version 3 (ECDSA P-256).</summary>
    SgxQuoteV3,

    /// <summary>An Intel TDX DCAP quote, version 4 (TEE type 0x81).</summary>
    TdxQuoteV4,

    /// <summary>An AMD SEV-SNP attestation report (version 2 or 3, 1184 bytes).</summary>
    SnpReport,
}

/// <summary>Recognises evidence formats by their headers.</summary>
public static class EvidenceFormatDetector
{
    /// <summary>Says which format <paramref name="evidence"/> has, from its header; it does not validate it.</summary>
    public static EvidenceFormat Detect(ReadOnlySpan<byte> evidence)
    {
        if (evidence.Length == SnpReport.Size)
        {
            uint version = BinaryPrimitives.ReadUInt32LittleEndian(evidence);
            uint algorithm = BinaryPrimitives.ReadUInt32LittleEndian(evidence[0x34..]);
            if (version is 2 or 3 && algorithm == SnpReport.SignatureAlgorithmEcdsaP384Sha384)
            {
                return EvidenceFormat.SnpReport;
            }
        }

        if (evidence.Length >= SgxQuote.HeaderSize)
        {
            ushort version = BinaryPrimitives.ReadUInt16LittleEndian(evidence);
            ushort keyType = BinaryPrimitives.ReadUInt16LittleEndian(evidence[2..]);
            uint teeType = BinaryPrimitives.ReadUInt32LittleEndian(evidence[4..]);
            if (keyType == SgxQuote.AttestationKeyTypeEcdsaP256)
            {
                if (version == 3 && teeType == 0)
                {
                    return EvidenceFormat.SgxQuoteV3;
                }

                if (version == 4 && teeType == 0x81)
                {
                    return EvidenceFormat.TdxQuoteV4;
                }
            }
        }

        return EvidenceFormat.Unknown;
    }
}
