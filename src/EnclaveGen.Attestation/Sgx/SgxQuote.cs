namespace EnclaveGen.Attestation.Formats;

/// <summary>
/// An Intel SGX DCAP quote, ECDSA P-256 (attestation key type 2). Parsing checks the layout only;
/// <see cref="Verification.SgxQuoteVerifier"/> checks signatures, bindings and the chain.
/// </summary>
/// <remarks>
/// Layout (version 3): a 48-byte header (version 2 bytes, attestation key type 2, TEE type 4 (0 for
/// SGX), QE SVN 2, PCE SVN 2, QE vendor ID 16, user data 20), the 384-byte enclave report body, a
/// 4-byte signature data length, then the signature data: the ECDSA signature over header and body
/// (r||s, 64), the attestation public key (x||y, 64), the quoting enclave's report body (384), its
/// signature by the PCK key (64), the QE authentication data (2-byte length and data), and the
/// certification data (2-byte type 5, 4-byte length, the PEM chain). Every length is checked
/// against what is left; padding may follow (its length is <see cref="TrailingBytes"/>; its bytes are never read).
/// Versions 4 and 5 (Intel's DCAP 1.14 quote library and later) wrap the QE report and chain in
/// certification data of type 6, as TDX quotes do, and version 5 puts a body descriptor (type 1,
/// the SGX report body, and its size 384) between header and body; the signature covers it.
/// </remarks>
public sealed class SgxQuote
{
    /// <summary>Quote version 3, the SGX DCAP quote.</summary>
    public const ushort Version3 = 3;

    /// <summary>Quote version 4: the QE report and chain in certification data of type 6.</summary>
    public const ushort Version4 = 4;

    /// <summary>Quote version 5: version 4 with a body descriptor before the body.</summary>
    public const ushort Version5 = 5;

    /// <summary>Body type 1 of a version 5 quote: the SGX report body.</summary>
    public const ushort BodyTypeSgxReport = 1;

    /// <summary>Attestation key type 2: ECDSA P-256 with SHA-256.</summary>
    public const ushort AttestationKeyTypeEcdsaP256 = DcapQuoteHeader.AttestationKeyTypeEcdsaP256;

    /// <summary>Certification data type 5: a PEM chain of the PCK leaf, intermediate and root.</summary>
    public const ushort CertificationDataTypePemChain = DcapQuoteSignature.CertificationDataTypePemChain;

    /// <summary>TEE type 0: SGX.</summary>
    public const uint TeeTypeSgx = 0;

    /// <summary>The size of the header in bytes.</summary>
    public const int HeaderSize = DcapQuoteHeader.Size;

    /// <summary>The largest quote accepted, so that a hostile length cannot make the parser allocate without bound.</summary>
    public const int MaxSize = 64 * 1024;

    private static readonly ushort[] s_versions = [Version3, Version4, Version5];

    private readonly byte[] _bytes;
    private readonly DcapQuoteHeader _header;
    private readonly DcapSignatureData _signatureData;

    private SgxQuote(byte[] bytes)
    {
        _bytes = bytes;
        var reader = new EvidenceReader(bytes, "SGX quote");
        _header = DcapQuoteHeader.Read(ref reader, s_versions, TeeTypeSgx);
        if (_header.Version == Version5)
        {
            DcapQuoteHeader.ReadBodyDescriptor(ref reader, [(BodyTypeSgxReport, SgxReportBody.Size)]);
        }

        ReportBody = SgxReportBody.Read(ref reader);
        SignedSize = reader.Position;
        _signatureData = DcapSignatureData.Read(ref reader, _header.Version, "SGX quote");
    }

    /// <summary>The quote version.</summary>
    public ushort Version => _header.Version;

    /// <summary>The attestation key type (2, ECDSA P-256).</summary>
    public ushort AttestationKeyType => _header.AttestationKeyType;

    /// <summary>The quoting enclave's security version, as the header states it.</summary>
    public ushort QeSvn => _header.QeSvn;

    /// <summary>The provisioning certification enclave's security version.</summary>
    public ushort PceSvn => _header.PceSvn;

    /// <summary>The quoting enclave vendor ID (16 bytes).</summary>
    public ReadOnlyMemory<byte> QeVendorId => _header.QeVendorId;

    /// <summary>The header's user data (20 bytes; the first 16 are the platform's QE ID in Intel's QE).</summary>
    public ReadOnlyMemory<byte> UserData => _header.UserData;

    /// <summary>The attested enclave's report body.</summary>
    public SgxReportBody ReportBody { get; }

    /// <summary>The ECDSA P-256 signature over <see cref="SignedBytes"/> (r||s, big-endian).</summary>
    public ReadOnlyMemory<byte> Signature => _signatureData.Signature;

    /// <summary>The attestation public key (x||y, big-endian, 64 bytes).</summary>
    public ReadOnlyMemory<byte> AttestationKey => _signatureData.AttestationKey;

    /// <summary>The QE report, its PCK signature, the QE auth data and the PCK chain.</summary>
    public DcapQuoteSignature QeCertification => _signatureData.Certification;

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

    /// <summary>The size of the signed region (header, the body descriptor of version 5, and the report body).</summary>
    public int SignedSize { get; }

    /// <summary>The header and report body: the bytes the attestation key signed.</summary>
    public ReadOnlyMemory<byte> SignedBytes => _bytes.AsMemory(0, SignedSize);

    /// <summary>The offset of the signature data in the quote.</summary>
    public int SignatureDataOffset => _signatureData.Offset;

    /// <summary>The offset of the QE report in the quote.</summary>
    public int QeReportOffset => QeCertification.QeReportOffset;

    /// <summary>The offset of the certification data in the quote.</summary>
    public int CertificationDataOffset => QeCertification.CertificationDataOffset;

    /// <summary>How many bytes followed the quote in the buffer it came in (padding: not signed, so never read).</summary>
    public int TrailingBytes => _signatureData.TrailingBytes;

    /// <summary>The signature data, for the verifier.</summary>
    internal DcapSignatureData SignatureData => _signatureData;

    /// <summary>The quote's bytes, padding included.</summary>
    public ReadOnlyMemory<byte> Bytes => _bytes;

    /// <summary>True when the header is an SGX DCAP quote's (a version this type reads, ECDSA P-256, TEE type SGX).</summary>
    public static bool HasHeader(ReadOnlySpan<byte> evidence) => DcapQuoteHeaderPeek.Matches(evidence, s_versions, TeeTypeSgx);

    /// <summary>Parses an SGX DCAP ECDSA P-256 quote.</summary>
    /// <exception cref="EvidenceFormatException">Any field is out of bounds, unknown, or not as the layout requires.</exception>
    public static SgxQuote Parse(ReadOnlySpan<byte> quote)
    {
        if (quote.Length > MaxSize)
        {
            throw new EvidenceFormatException("SGX quote", "length", -1, $"the quote is {quote.Length} bytes, more than the {MaxSize} accepted");
        }

        return new SgxQuote(quote.ToArray());
    }

    /// <summary>Serializes a quote from its signed part (header, version 5 body descriptor, body) and signature data (used by the emulated quoting enclave).</summary>
    internal static byte[] Serialize(ushort version, ReadOnlySpan<byte> signedPart, ReadOnlySpan<byte> signature, ReadOnlySpan<byte> attestationKey,
        ReadOnlySpan<byte> qeReport, ReadOnlySpan<byte> qeReportSignature, ReadOnlySpan<byte> qeAuthData, ReadOnlySpan<byte> certificationData)
    {
        byte[] certification = DcapQuoteSignature.Write(qeReport, qeReportSignature, qeAuthData, certificationData);
        return [.. signedPart, .. DcapSignatureData.Write(version, signature, attestationKey, certification)];
    }

    /// <summary>Writes the part an SGX quote's signature covers: an ECDSA P-256 header, for version 5 the body descriptor, and the body.</summary>
    internal static byte[] CreateSignedPart(ushort version, ushort qeSvn, ushort pceSvn, ReadOnlySpan<byte> qeVendorId, ReadOnlySpan<byte> userData, ReadOnlySpan<byte> body)
    {
        byte[] header = DcapQuoteHeader.Write(version, TeeTypeSgx, qeSvn, pceSvn, qeVendorId, userData);
        return version == Version5 ? [.. header, .. DcapQuoteHeader.WriteBodyDescriptor(BodyTypeSgxReport, body.Length), .. body] : [.. header, .. body];
    }
}
