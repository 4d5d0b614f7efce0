namespace EnclaveGen.Attestation.Formats;

/// <summary>
/// An Intel TDX DCAP quote, ECDSA P-256: a 48-byte header (version 4 or 5, key type 2, TEE type
/// 0x81), in version 5 a body descriptor (type 2: TD report 1.0 of 584 bytes; type 3: TD report 1.5
/// of 648 bytes), the TD report body, a 4-byte signature data length, then the ECDSA signature over
/// everything before it (64), the attestation key (64), and certification data of type 6 (QE report
/// certification data) holding the QE report, its signature, the QE auth data and the type-5 PEM
/// chain. Every length is checked; padding may follow (<see cref="TrailingBytes"/>; its bytes are never read).
/// </summary>
public sealed class TdxQuote
{
    /// <summary>Quote version 4.</summary>
    public const ushort Version4 = 4;

    /// <summary>Quote version 5: a body descriptor before the TD report.</summary>
    public const ushort Version5 = 5;

    /// <summary>Body type 2 of a version 5 quote: TD report 1.0.</summary>
    public const ushort BodyTypeTdReport10 = 2;

    /// <summary>Body type 3 of a version 5 quote: TD report 1.5 (with TEE_TCB_SVN2 and MRSERVICETD).</summary>
    public const ushort BodyTypeTdReport15 = 3;

    /// <summary>TEE type 0x81: TDX.</summary>
    public const uint TeeTypeTdx = 0x81;

    /// <summary>Certification data type 6: QE report certification data.</summary>
    public const ushort CertificationDataTypeQeReport = DcapSignatureData.CertificationDataTypeQeReport;

    private static readonly ushort[] s_versions = [Version4, Version5];
    private static readonly (ushort Type, int Size)[] s_bodyTypes = [(BodyTypeTdReport10, TdxReportBody.Size), (BodyTypeTdReport15, TdxReportBody.Size15)];

    private readonly byte[] _bytes;
    private readonly DcapQuoteHeader _header;
    private readonly DcapSignatureData _signatureData;

    private TdxQuote(byte[] bytes)
    {
        _bytes = bytes;
        var reader = new EvidenceReader(bytes, "TDX quote");
        _header = DcapQuoteHeader.Read(ref reader, s_versions, TeeTypeTdx);
        BodyType = _header.Version == Version5 ? DcapQuoteHeader.ReadBodyDescriptor(ref reader, s_bodyTypes) : null;
        ReportBody = BodyType == BodyTypeTdReport15 ? TdxReportBody.Read15(ref reader) : TdxReportBody.Read(ref reader);
        SignedSize = reader.Position;
        _signatureData = DcapSignatureData.Read(ref reader, _header.Version, "TDX quote");
    }

    /// <summary>The quote version.</summary>
    public ushort Version => _header.Version;

    /// <summary>Header bytes 8-9 (the QE SVN in version 3; reserved in TDX quotes, zero in real ones).</summary>
    public ushort QeSvn => _header.QeSvn;

    /// <summary>Header bytes 10-11 (the PCE SVN in version 3; reserved in TDX quotes, zero in real ones).</summary>
    public ushort PceSvn => _header.PceSvn;

    /// <summary>The QE vendor ID (16 bytes).</summary>
    public ReadOnlyMemory<byte> QeVendorId => _header.QeVendorId;

    /// <summary>The header's user data (20 bytes).</summary>
    public ReadOnlyMemory<byte> UserData => _header.UserData;

    /// <summary>The body type of a version 5 quote (2: TD report 1.0, 3: TD report 1.5); null in version 4.</summary>
    public ushort? BodyType { get; }

    /// <summary>The TD report body.</summary>
    public TdxReportBody ReportBody { get; }

    /// <summary>The ECDSA P-256 signature over <see cref="SignedBytes"/> (r||s).</summary>
    public ReadOnlyMemory<byte> Signature => _signatureData.Signature;

    /// <summary>The attestation public key (x||y).</summary>
    public ReadOnlyMemory<byte> AttestationKey => _signatureData.AttestationKey;

    /// <summary>The QE report, its signature, auth data and PCK chain.</summary>
    public DcapQuoteSignature QeCertification => _signatureData.Certification;

    /// <summary>The size of the signed region.</summary>
    public int SignedSize { get; }

    /// <summary>The header, the body descriptor of version 5 and the TD report body: the bytes the attestation key signed.</summary>
    public ReadOnlyMemory<byte> SignedBytes => _bytes.AsMemory(0, SignedSize);

    /// <summary>How many bytes followed the quote in the buffer it came in (padding: not signed, so never read).</summary>
    public int TrailingBytes => _signatureData.TrailingBytes;

    /// <summary>The signature data, for the verifier.</summary>
    internal DcapSignatureData SignatureData => _signatureData;

    /// <summary>The quote's bytes, padding included.</summary>
    public ReadOnlyMemory<byte> Bytes => _bytes;

    /// <summary>True when the header is a TDX quote's (a version this type reads, ECDSA P-256, TEE type TDX).</summary>
    public static bool HasHeader(ReadOnlySpan<byte> evidence) => DcapQuoteHeaderPeek.Matches(evidence, s_versions, TeeTypeTdx);

    /// <summary>Parses a TDX quote.</summary>
    /// <exception cref="EvidenceFormatException">Any field is out of bounds, unknown, or not as the layout requires.</exception>
    public static TdxQuote Parse(ReadOnlySpan<byte> quote)
    {
        if (quote.Length > SgxQuote.MaxSize)
        {
            throw new EvidenceFormatException("TDX quote", "length", -1, $"the quote is {quote.Length} bytes, more than the {SgxQuote.MaxSize} accepted");
        }

        return new TdxQuote(quote.ToArray());
    }

    /// <summary>Writes a version 4 TDX header.</summary>
    internal static byte[] CreateHeader(ushort qeSvn, ushort pceSvn, ReadOnlySpan<byte> qeVendorId, ReadOnlySpan<byte> userData) =>
        DcapQuoteHeader.Write(Version4, TeeTypeTdx, qeSvn, pceSvn, qeVendorId, userData);

    /// <summary>Serializes a version 4 quote from its parts.</summary>
    internal static byte[] Serialize(ReadOnlySpan<byte> header, ReadOnlySpan<byte> body, ReadOnlySpan<byte> signature, ReadOnlySpan<byte> attestationKey, ReadOnlySpan<byte> qeCertification) =>
        [.. header, .. body, .. DcapSignatureData.Write(Version4, signature, attestationKey, qeCertification)];
}
