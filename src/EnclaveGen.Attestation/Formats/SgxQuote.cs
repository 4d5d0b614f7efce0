using System.Buffers.Binary;

namespace EnclaveGen.Attestation.Formats;

/// <summary>
/// An Intel DCAP quote, version 3, ECDSA P-256 (attestation key type 2), with certification data
/// type 5 (a PEM certificate chain). Parsing checks the layout only; <see cref="Verification.AttestationVerifier"/>
/// checks signatures, bindings and the chain.
/// </summary>
/// <remarks>
/// Layout: a 48-byte header (version 2 bytes, attestation key type 2, reserved 4, QE SVN 2, PCE SVN
/// 2, QE vendor ID 16, user data 20), the 384-byte enclave report body, a 4-byte signature data
/// length, then the signature data: the ECDSA signature over header and body (r||s, 64), the
/// attestation public key (x||y, 64), the quoting enclave's report body (384), its signature by the
/// PCK key (64), the QE authentication data (2-byte length and data), and the certification data
/// (2-byte type, 4-byte length, data). Every length is checked against what is left, and nothing
/// may follow the certification data.
/// </remarks>
public sealed class SgxQuote
{
    /// <summary>The quote version this type reads.</summary>
    public const ushort Version3 = 3;

    /// <summary>Attestation key type 2: ECDSA P-256 with SHA-256.</summary>
    public const ushort AttestationKeyTypeEcdsaP256 = 2;

    /// <summary>Certification data type 5: a PEM chain of the PCK leaf, intermediate and root.</summary>
    public const ushort CertificationDataTypePemChain = 5;

    /// <summary>The size of the header in bytes.</summary>
    public const int HeaderSize = 48;

    /// <summary>The size of the signed region (header and report body).</summary>
    public const int SignedSize = HeaderSize + SgxReportBody.Size;

    /// <summary>The largest quote accepted, so that a hostile length cannot make the parser allocate without bound.</summary>
    public const int MaxSize = 64 * 1024;

    private readonly byte[] _bytes;

    private SgxQuote(byte[] bytes)
    {
        _bytes = bytes;
        var reader = new EvidenceReader(bytes, "SGX quote v3");

        Version = reader.ReadUInt16("header.version");
        if (Version != Version3)
        {
            throw reader.ErrorAt(0, "header.version", $"expected version {Version3}, found {Version}");
        }

        AttestationKeyType = reader.ReadUInt16("header.attestation_key_type");
        if (AttestationKeyType != AttestationKeyTypeEcdsaP256)
        {
            throw reader.ErrorAt(2, "header.attestation_key_type", $"expected {AttestationKeyTypeEcdsaP256} (ECDSA P-256), found {AttestationKeyType}");
        }

        reader.ReadReserved(4, "header.reserved");
        QeSvn = reader.ReadUInt16("header.qe_svn");
        PceSvn = reader.ReadUInt16("header.pce_svn");
        QeVendorId = reader.ReadArray(16, "header.qe_vendor_id");
        UserData = reader.ReadArray(20, "header.user_data");
        ReportBody = SgxReportBody.Read(ref reader);

        uint signatureDataLength = reader.ReadUInt32("signature_data_length");
        if (signatureDataLength != (uint)reader.Remaining)
        {
            throw reader.ErrorAt(SignedSize, "signature_data_length", $"declares {signatureDataLength} bytes but {reader.Remaining} follow (the quote is truncated or has trailing bytes)");
        }

        SignatureDataOffset = reader.AbsolutePosition;
        Signature = reader.ReadArray(64, "signature_data.signature");
        AttestationKey = reader.ReadArray(64, "signature_data.attestation_key");
        QeCertification = DcapQuoteSignature.Read(ref reader, "signature_data.");
    }

    /// <summary>The quote version (3).</summary>
    public ushort Version { get; }

    /// <summary>The attestation key type (2, ECDSA P-256).</summary>
    public ushort AttestationKeyType { get; }

    /// <summary>The quoting enclave's security version, as the header states it.</summary>
    public ushort QeSvn { get; }

    /// <summary>The provisioning certification enclave's security version.</summary>
    public ushort PceSvn { get; }

    /// <summary>The quoting enclave vendor ID (16 bytes).</summary>
    public ReadOnlyMemory<byte> QeVendorId { get; }

    /// <summary>The header's user data (20 bytes; the first 16 are the platform's QE ID in Intel's QE).</summary>
    public ReadOnlyMemory<byte> UserData { get; }

    /// <summary>The attested enclave's report body.</summary>
    public SgxReportBody ReportBody { get; }

    /// <summary>The ECDSA P-256 signature over <see cref="SignedBytes"/> (r||s, big-endian).</summary>
    public ReadOnlyMemory<byte> Signature { get; }

    /// <summary>The attestation public key (x||y, big-endian, 64 bytes).</summary>
    public ReadOnlyMemory<byte> AttestationKey { get; }

    /// <summary>The QE report, its PCK signature, the QE auth data and the PCK chain.</summary>
    public DcapQuoteSignature QeCertification { get; }

    /// <summary>The quoting enclave's report body.</summary>
    public SgxReportBody QeReport => QeCertification.QeReport;

    /// <summary>The raw bytes of the quoting enclave's report body (what the PCK key signed).</summary>
    public ReadOnlyMemory<byte> QeReportBytes => QeCertification.QeReportBytes;

    /// <summary>The PCK key's ECDSA P-256 signature over <see cref="QeReportBytes"/>.</summary>
    public ReadOnlyMemory<byte> QeReportSignature => QeCertification.QeReportSignature;

    /// <summary>The QE authentication data, hashed with the attestation key into the QE report's REPORTDATA.</summary>
    public ReadOnlyMemory<byte> QeAuthData => QeCertification.QeAuthData;

    /// <summary>The certification data type (5).</summary>
    public ushort CertificationDataType => CertificationDataTypePemChain;

    /// <summary>The certification data: the PEM chain (PCK leaf first), normally ending in one NUL byte.</summary>
    public ReadOnlyMemory<byte> CertificationData => QeCertification.CertificationData;

    /// <summary>The header and report body: the bytes the attestation key signed.</summary>
    public ReadOnlyMemory<byte> SignedBytes => _bytes.AsMemory(0, SignedSize);

    /// <summary>The offset of the signature data in the quote.</summary>
    public int SignatureDataOffset { get; }

    /// <summary>The offset of the QE report in the quote.</summary>
    public int QeReportOffset => QeCertification.QeReportOffset;

    /// <summary>The offset of the certification data in the quote.</summary>
    public int CertificationDataOffset => QeCertification.CertificationDataOffset;

    /// <summary>The quote's bytes.</summary>
    public ReadOnlyMemory<byte> Bytes => _bytes;

    /// <summary>Parses a DCAP v3 ECDSA P-256 quote with a type-5 certification data.</summary>
    /// <exception cref="EvidenceFormatException">Any field is out of bounds, unknown, or not as the layout requires.</exception>
    public static SgxQuote Parse(ReadOnlySpan<byte> quote)
    {
        if (quote.Length > MaxSize)
        {
            throw new EvidenceFormatException("SGX quote v3", "length", -1, $"the quote is {quote.Length} bytes, more than the {MaxSize} accepted");
        }

        return new SgxQuote(quote.ToArray());
    }

    /// <summary>Serializes a quote from its parts (used by the emulated quoting enclave).</summary>
    internal static byte[] Serialize(ReadOnlySpan<byte> header, ReadOnlySpan<byte> reportBody, ReadOnlySpan<byte> signature, ReadOnlySpan<byte> attestationKey,
        ReadOnlySpan<byte> qeReport, ReadOnlySpan<byte> qeReportSignature, ReadOnlySpan<byte> qeAuthData, ReadOnlySpan<byte> certificationData)
    {
        byte[] certification = DcapQuoteSignature.Write(qeReport, qeReportSignature, qeAuthData, certificationData);
        int signatureDataLength = 64 + 64 + certification.Length;
        byte[] bytes = new byte[SignedSize + 4 + signatureDataLength];
        Span<byte> w = bytes;
        header.CopyTo(w);
        reportBody.CopyTo(w[HeaderSize..]);
        BinaryPrimitives.WriteUInt32LittleEndian(w[SignedSize..], (uint)signatureDataLength);
        signature.CopyTo(w[(SignedSize + 4)..]);
        attestationKey.CopyTo(w[(SignedSize + 68)..]);
        certification.CopyTo(w[(SignedSize + 132)..]);
        return bytes;
    }

    /// <summary>Writes a v3 ECDSA P-256 header.</summary>
    internal static byte[] CreateHeader(ushort qeSvn, ushort pceSvn, ReadOnlySpan<byte> qeVendorId, ReadOnlySpan<byte> userData)
    {
        byte[] header = new byte[HeaderSize];
        BinaryPrimitives.WriteUInt16LittleEndian(header, Version3);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(2), AttestationKeyTypeEcdsaP256);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(8), qeSvn);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(10), pceSvn);
        qeVendorId.CopyTo(header.AsSpan(12, 16));
        userData.CopyTo(header.AsSpan(28, 20));
        return header;
    }
}
