using System.Buffers.Binary;

namespace EnclaveGen.Attestation.Formats;

/// <summary>
/// The signature data of an Intel DCAP quote: the ECDSA signature over header and body, the
/// attestation key, and the data that certifies the key (the quoting enclave's report, its PCK
/// signature, the QE authentication data and the PCK chain). Version 3 quotes carry the QE report
/// directly; versions 4 and 5 wrap it in certification data of type 6.
/// </summary>
/// <remarks>
/// The declared signature data length must fit in what follows it, and the structures inside
/// must fill it exactly. Bytes after it are padding (quotes often arrive in a fixed-size buffer):
/// they must be zero, so nothing rides along unsigned, and their count is reported.
/// </remarks>
internal sealed class DcapSignatureData
{
    /// <summary>Certification data type 6: the QE report certification data (versions 4 and 5).</summary>
    public const ushort CertificationDataTypeQeReport = 6;

    private DcapSignatureData(int offset, byte[] signature, byte[] attestationKey, DcapQuoteSignature certification, int trailingBytes)
    {
        Offset = offset;
        Signature = signature;
        AttestationKey = attestationKey;
        Certification = certification;
        TrailingBytes = trailingBytes;
    }

    /// <summary>The offset of the signature data (after its 4-byte length).</summary>
    public int Offset { get; }

    /// <summary>The ECDSA P-256 signature over header and body (r||s, big-endian).</summary>
    public byte[] Signature { get; }

    /// <summary>The attestation public key (x||y, big-endian).</summary>
    public byte[] AttestationKey { get; }

    /// <summary>The QE report, its PCK signature, QE auth data and PCK chain.</summary>
    public DcapQuoteSignature Certification { get; }

    /// <summary>How many bytes followed the quote (padding: not signed, so never read).</summary>
    public int TrailingBytes { get; }

    /// <summary>
    /// Reads the signature data that follows the signed part. Bytes after it are padding (real
    /// quotes arrive in fixed-size buffers): as Intel's verifier does, they are counted and never
    /// read; nothing in them is signed, so nothing in them can be trusted or refused.
    /// </summary>
    /// <exception cref="EvidenceFormatException">A length is out of bounds or a type is unknown.</exception>
    public static DcapSignatureData Read(ref EvidenceReader reader, ushort version, string structure)
    {
        uint length = reader.ReadUInt32("signature_data_length");
        if (length > (uint)reader.Remaining)
        {
            throw reader.ErrorAt(reader.AbsolutePosition - 4, "signature_data_length", $"declares {length} bytes but only {reader.Remaining} follow (the quote is truncated or the length is wrong)");
        }

        int offset = reader.AbsolutePosition;
        var inner = new EvidenceReader(reader.ReadBytes((int)length, "signature_data"), structure, offset);
        byte[] signature = inner.ReadArray(64, "signature_data.signature");
        byte[] key = inner.ReadArray(64, "signature_data.attestation_key");
        DcapQuoteSignature certification;
        if (version == 3)
        {
            certification = DcapQuoteSignature.Read(ref inner, "signature_data.");
        }
        else
        {
            ushort type = inner.ReadUInt16("signature_data.certification_data.type");
            if (type != CertificationDataTypeQeReport)
            {
                throw inner.ErrorAt(inner.AbsolutePosition - 2, "signature_data.certification_data.type", $"expected type {CertificationDataTypeQeReport} (QE report certification data), found {type}");
            }

            uint size = inner.ReadUInt32("signature_data.certification_data.size");
            if (size != (uint)inner.Remaining)
            {
                throw inner.ErrorAt(inner.AbsolutePosition - 4, "signature_data.certification_data.size", $"declares {size} bytes but {inner.Remaining} remain in the signature data");
            }

            certification = DcapQuoteSignature.Read(ref inner, "signature_data.qe_report_certification_data.");
        }

        int trailing = reader.Remaining;
        return new DcapSignatureData(offset, signature, key, certification, trailing);
    }

    /// <summary>Serializes signature data (its length included) in the layout of <paramref name="version"/>.</summary>
    public static byte[] Write(ushort version, ReadOnlySpan<byte> signature, ReadOnlySpan<byte> attestationKey, ReadOnlySpan<byte> qeCertification)
    {
        int wrapper = version == 3 ? 0 : 6;
        byte[] bytes = new byte[4 + 128 + wrapper + qeCertification.Length];
        Span<byte> w = bytes;
        BinaryPrimitives.WriteUInt32LittleEndian(w, (uint)(bytes.Length - 4));
        signature.CopyTo(w[4..]);
        attestationKey.CopyTo(w[68..]);
        if (version != 3)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(w[132..], CertificationDataTypeQeReport);
            BinaryPrimitives.WriteUInt32LittleEndian(w[134..], (uint)qeCertification.Length);
        }

        qeCertification.CopyTo(w[(132 + wrapper)..]);
        return bytes;
    }
}
