using System.Buffers.Binary;

namespace EnclaveGen.Attestation.Formats;

/// <summary>
/// An Intel TDX DCAP quote, version 4, ECDSA P-256: a 48-byte header (version 4, key type 2, TEE
/// type 0x81), the 584-byte TD report body, a 4-byte signature data length, then the ECDSA
/// signature over header and body (64), the attestation key (64), and certification data of type
/// 6 (QE report certification data) holding the QE report, its signature, the QE auth data and the
/// type-5 PEM chain. Every length is checked; nothing may follow.
/// </summary>
public sealed class TdxQuote
{
    /// <summary>The quote version this type reads.</summary>
    public const ushort Version4 = 4;

    /// <summary>TEE type 0x81: TDX.</summary>
    public const uint TeeTypeTdx = 0x81;

    /// <summary>Certification data type 6: QE report certification data.</summary>
    public const ushort CertificationDataTypeQeReport = 6;

    /// <summary>The size of the signed region (header and TD report body).</summary>
    public const int SignedSize = SgxQuote.HeaderSize + TdxReportBody.Size;

    private readonly byte[] _bytes;

    private TdxQuote(byte[] bytes)
    {
        _bytes = bytes;
        var r = new EvidenceReader(bytes, "TDX quote v4");
        ushort version = r.ReadUInt16("header.version");
        if (version != Version4)
        {
            throw r.ErrorAt(0, "header.version", $"expected version {Version4}, found {version}");
        }

        ushort keyType = r.ReadUInt16("header.attestation_key_type");
        if (keyType != SgxQuote.AttestationKeyTypeEcdsaP256)
        {
            throw r.ErrorAt(2, "header.attestation_key_type", $"expected {SgxQuote.AttestationKeyTypeEcdsaP256} (ECDSA P-256), found {keyType}");
        }

        uint teeType = r.ReadUInt32("header.tee_type");
        if (teeType != TeeTypeTdx)
        {
            throw r.ErrorAt(4, "header.tee_type", $"expected 0x{TeeTypeTdx:x} (TDX), found 0x{teeType:x}");
        }

        QeSvn = r.ReadUInt16("header.qe_svn");
        PceSvn = r.ReadUInt16("header.pce_svn");
        QeVendorId = r.ReadArray(16, "header.qe_vendor_id");
        UserData = r.ReadArray(20, "header.user_data");
        ReportBody = TdxReportBody.Read(ref r);
        uint signatureDataLength = r.ReadUInt32("signature_data_length");
        if (signatureDataLength != (uint)r.Remaining)
        {
            throw r.ErrorAt(SignedSize, "signature_data_length", $"declares {signatureDataLength} bytes but {r.Remaining} follow (the quote is truncated or has trailing bytes)");
        }

        Signature = r.ReadArray(64, "signature_data.signature");
        AttestationKey = r.ReadArray(64, "signature_data.attestation_key");
        ushort certType = r.ReadUInt16("signature_data.certification_data.type");
        if (certType != CertificationDataTypeQeReport)
        {
            throw r.Error("signature_data.certification_data.type", $"expected type {CertificationDataTypeQeReport} (QE report certification data), found {certType}");
        }

        uint certSize = r.ReadUInt32("signature_data.certification_data.size");
        if (certSize != (uint)r.Remaining)
        {
            throw r.Error("signature_data.certification_data.size", $"declares {certSize} bytes but {r.Remaining} follow");
        }

        QeCertification = DcapQuoteSignature.Read(ref r, "signature_data.qe_report_certification_data.");
    }

    /// <summary>Header bytes 8-9 (the QE SVN in v3; reserved in TDX v4, zero in real quotes).</summary>
    public ushort QeSvn { get; }

    /// <summary>Header bytes 10-11 (the PCE SVN in v3; reserved in TDX v4, zero in real quotes).</summary>
    public ushort PceSvn { get; }

    /// <summary>The QE vendor ID (16 bytes).</summary>
    public ReadOnlyMemory<byte> QeVendorId { get; }

    /// <summary>The header's user data (20 bytes).</summary>
    public ReadOnlyMemory<byte> UserData { get; }

    /// <summary>The TD report body.</summary>
    public TdxReportBody ReportBody { get; }

    /// <summary>The ECDSA P-256 signature over <see cref="SignedBytes"/> (r||s).</summary>
    public ReadOnlyMemory<byte> Signature { get; }

    /// <summary>The attestation public key (x||y).</summary>
    public ReadOnlyMemory<byte> AttestationKey { get; }

    /// <summary>The QE report, its signature, auth data and PCK chain.</summary>
    public DcapQuoteSignature QeCertification { get; }

    /// <summary>The header and TD report body: the bytes the attestation key signed.</summary>
    public ReadOnlyMemory<byte> SignedBytes => _bytes.AsMemory(0, SignedSize);

    /// <summary>Parses a TDX v4 quote.</summary>
    /// <exception cref="EvidenceFormatException">Any field is out of bounds, unknown, or not as the layout requires.</exception>
    public static TdxQuote Parse(ReadOnlySpan<byte> quote)
    {
        if (quote.Length > SgxQuote.MaxSize)
        {
            throw new EvidenceFormatException("TDX quote v4", "length", -1, $"the quote is {quote.Length} bytes, more than the {SgxQuote.MaxSize} accepted");
        }

        return new TdxQuote(quote.ToArray());
    }

    /// <summary>Writes a v4 TDX header.</summary>
    internal static byte[] CreateHeader(ushort qeSvn, ushort pceSvn, ReadOnlySpan<byte> qeVendorId, ReadOnlySpan<byte> userData)
    {
        byte[] header = SgxQuote.CreateHeader(qeSvn, pceSvn, qeVendorId, userData);
        BinaryPrimitives.WriteUInt16LittleEndian(header, Version4);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(4), TeeTypeTdx);
        return header;
    }

    /// <summary>Serializes a v4 quote from its parts.</summary>
    internal static byte[] Serialize(ReadOnlySpan<byte> header, ReadOnlySpan<byte> body, ReadOnlySpan<byte> signature, ReadOnlySpan<byte> attestationKey, ReadOnlySpan<byte> qeCertification)
    {
        int signatureDataLength = 64 + 64 + 2 + 4 + qeCertification.Length;
        byte[] bytes = new byte[SignedSize + 4 + signatureDataLength];
        Span<byte> w = bytes;
        header.CopyTo(w);
        body.CopyTo(w[SgxQuote.HeaderSize..]);
        w = w[SignedSize..];
        BinaryPrimitives.WriteUInt32LittleEndian(w, (uint)signatureDataLength);
        signature.CopyTo(w[4..]);
        attestationKey.CopyTo(w[68..]);
        BinaryPrimitives.WriteUInt16LittleEndian(w[132..], CertificationDataTypeQeReport);
        BinaryPrimitives.WriteUInt32LittleEndian(w[134..], (uint)qeCertification.Length);
        qeCertification.CopyTo(w[138..]);
        return bytes;
    }
}
