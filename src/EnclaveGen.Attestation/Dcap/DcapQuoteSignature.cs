namespace EnclaveGen.Attestation.Formats;

/// <summary>
/// The part of a DCAP quote that certifies the attestation key: the quoting enclave's report and
/// its PCK signature, the QE authentication data, and the PCK certificate chain (PEM, type 5). In
/// a version 3 quote it follows the attestation key directly; in versions 4 and 5 it sits inside
/// certification data of type 6.
/// </summary>
public sealed class DcapQuoteSignature
{
    /// <summary>Certification data type 5: a PEM chain of the PCK leaf, intermediate and root.</summary>
    public const ushort CertificationDataTypePemChain = 5;

    internal DcapQuoteSignature(SgxReportBody qeReport, byte[] qeReportBytes, int qeReportOffset, byte[] qeReportSignature, byte[] qeAuthData, byte[] certificationData, int certificationDataOffset)
    {
        QeReport = qeReport;
        QeReportBytes = qeReportBytes;
        QeReportOffset = qeReportOffset;
        QeReportSignature = qeReportSignature;
        QeAuthData = qeAuthData;
        CertificationData = certificationData;
        CertificationDataOffset = certificationDataOffset;
    }

    /// <summary>The quoting enclave's report body.</summary>
    public SgxReportBody QeReport { get; }

    /// <summary>The raw bytes of the QE report body (what the PCK key signed).</summary>
    public ReadOnlyMemory<byte> QeReportBytes { get; }

    /// <summary>The offset of the QE report in the quote.</summary>
    public int QeReportOffset { get; }

    /// <summary>The PCK key's ECDSA P-256 signature over the QE report (r||s).</summary>
    public ReadOnlyMemory<byte> QeReportSignature { get; }

    /// <summary>The QE authentication data.</summary>
    public ReadOnlyMemory<byte> QeAuthData { get; }

    /// <summary>The PEM chain (PCK leaf first), normally ending in one NUL byte.</summary>
    public ReadOnlyMemory<byte> CertificationData { get; }

    /// <summary>The offset of the PEM chain in the quote.</summary>
    public int CertificationDataOffset { get; }

    /// <summary>Reads QE report, signature, auth data and the type-5 certification data that must fill the rest.</summary>
    internal static DcapQuoteSignature Read(ref EvidenceReader reader, string prefix)
    {
        int qeReportOffset = reader.AbsolutePosition;
        byte[] qeReportBytes = reader.ReadArray(SgxReportBody.Size, prefix + "qe_report");
        var qeReader = new EvidenceReader(qeReportBytes, "QE report", qeReportOffset);
        SgxReportBody qeReport = SgxReportBody.Read(ref qeReader);
        byte[] qeReportSignature = reader.ReadArray(64, prefix + "qe_report_signature");
        ushort authLength = reader.ReadUInt16(prefix + "qe_auth_data.size");
        byte[] qeAuthData = reader.ReadArray(authLength, prefix + "qe_auth_data");
        ushort type = reader.ReadUInt16(prefix + "certification_data.type");
        if (type != CertificationDataTypePemChain)
        {
            throw reader.ErrorAt(reader.AbsolutePosition - 2, prefix + "certification_data.type", $"expected type {CertificationDataTypePemChain} (PCK certificate chain, PEM), found {type}");
        }

        uint certLength = reader.ReadUInt32(prefix + "certification_data.size");
        if (certLength != (uint)reader.Remaining)
        {
            throw reader.ErrorAt(reader.AbsolutePosition - 4, prefix + "certification_data.size", $"declares {certLength} bytes but {reader.Remaining} remain in the signature data");
        }

        int certOffset = reader.AbsolutePosition;
        byte[] certificationData = reader.ReadArray((int)certLength, prefix + "certification_data");
        reader.ExpectEnd("end of signature data");
        return new DcapQuoteSignature(qeReport, qeReportBytes, qeReportOffset, qeReportSignature, qeAuthData, certificationData, certOffset);
    }

    /// <summary>Serializes QE report, its signature, auth data and type-5 certification data.</summary>
    internal static byte[] Write(ReadOnlySpan<byte> qeReport, ReadOnlySpan<byte> qeReportSignature, ReadOnlySpan<byte> qeAuthData, ReadOnlySpan<byte> certificationData)
    {
        byte[] bytes = new byte[SgxReportBody.Size + 64 + 2 + qeAuthData.Length + 6 + certificationData.Length];
        Span<byte> w = bytes;
        qeReport.CopyTo(w);
        w = w[SgxReportBody.Size..];
        qeReportSignature.CopyTo(w);
        w = w[64..];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16LittleEndian(w, checked((ushort)qeAuthData.Length));
        qeAuthData.CopyTo(w[2..]);
        w = w[(2 + qeAuthData.Length)..];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16LittleEndian(w, CertificationDataTypePemChain);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(w[2..], (uint)certificationData.Length);
        certificationData.CopyTo(w[6..]);
        return bytes;
    }
}
