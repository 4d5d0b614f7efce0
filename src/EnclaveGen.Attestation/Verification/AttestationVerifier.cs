using System.Security.Cryptography;
using EnclaveGen.Attestation.Formats;
using EnclaveGen.Attestation.Pem;
using EnclaveGen.Attestation.X509;
using Org.BouncyCastle.Asn1;

namespace EnclaveGen.Attestation.Verification;

/// <summary>
/// Verifies attestation evidence against a set of trust anchors: Intel SGX DCAP v3 quotes (real,
/// under the Intel SGX Root CA, or emulated, under an emulated root registered as such) and AMD
/// SEV-SNP reports (VCEK, ASK, ARK). The same code checks emulated and real evidence; only the
/// anchor differs, and the claims say which (<see cref="AttestationClaims.IsEmulated"/>).
/// </summary>
/// <remarks>
/// <para>Every method throws only <see cref="AttestationException"/> subclasses for bad evidence:
/// <see cref="EvidenceFormatException"/> when the bytes do not parse, <see cref="EvidenceVerificationException"/>
/// when a check fails, <see cref="AttestationPolicyException"/> when the policy refuses verified
/// evidence. <see cref="AttestationException.Check"/> names the check.</para>
/// <para>Instances are immutable and thread-safe. A verifier remembers the last few certificate
/// chains it validated successfully (keyed by their exact bytes and the verification time), so
/// verifying many quotes from one platform does not validate its chain each time.</para>
/// </remarks>
public sealed class AttestationVerifier
{
    private const string VcekHwIdOid = "1.3.6.1.4.1.3704.1.4";
    private const string VcekProductNameOid = "1.3.6.1.4.1.3704.1.2";
    private const string VcekBootLoaderOid = "1.3.6.1.4.1.3704.1.3.1";
    private const string VcekTeeOid = "1.3.6.1.4.1.3704.1.3.2";
    private const string VcekSnpOid = "1.3.6.1.4.1.3704.1.3.3";
    private const string VcekMicrocodeOid = "1.3.6.1.4.1.3704.1.3.8";
    private const int ChainCacheSize = 16;

    private static readonly Lazy<ParsedCertificate> s_milanAsk = new(() => ParsedCertificate.Parse(TrustAnchor.AmdMilanAskDer.ToArray(), "ASK (embedded Milan)"));

    private readonly PublicKeyCache _keys = new();
    private readonly BoundedCache<ParsedCertificate> _certificates = new(32);
    private readonly TrustAnchor[] _sgxAnchors;
    private readonly TrustAnchor[] _snpAnchors;
    private readonly Lock _cacheLock = new();
    private readonly LinkedList<(byte[] Key, TrustAnchor Anchor)> _chainCache = new();

    /// <summary>Creates a verifier that trusts the real Intel and AMD roots (<see cref="TrustAnchor.Defaults"/>).</summary>
    public AttestationVerifier()
        : this(TrustAnchor.Defaults)
    {
    }

    /// <summary>Creates a verifier that trusts exactly these anchors.</summary>
    public AttestationVerifier(IEnumerable<TrustAnchor> anchors)
    {
        ArgumentNullException.ThrowIfNull(anchors);
        TrustAnchor[] all = anchors.ToArray();
        if (all.Length == 0 || all.Any(a => a is null))
        {
            throw new ArgumentException("At least one trust anchor, and no null, is needed.", nameof(anchors));
        }

        Anchors = all;
        _sgxAnchors = all.Where(a => a.Use == TrustAnchorUse.SgxDcap).ToArray();
        _snpAnchors = all.Where(a => a.Use == TrustAnchorUse.SevSnp).ToArray();
    }

    /// <summary>The anchors this verifier trusts.</summary>
    public IReadOnlyList<TrustAnchor> Anchors { get; }

    /// <summary>Verifies an SGX DCAP v3 quote and applies <paramref name="policy"/>.</summary>
    /// <exception cref="AttestationException">The quote is malformed, does not verify, or the policy refuses it.</exception>
    public SgxClaims VerifySgxQuote(ReadOnlySpan<byte> quote, AttestationPolicy policy, AttestationCollateral? collateral = null)
    {
        ArgumentNullException.ThrowIfNull(policy);
        SgxClaims claims = CheckSgxQuote(quote, policy.EffectiveTime, collateral);
        policy.Enforce(claims);
        return claims;
    }

    /// <summary>Verifies an SEV-SNP report and applies <paramref name="policy"/>.</summary>
    /// <exception cref="AttestationException">The report is malformed, does not verify, or the policy refuses it.</exception>
    public SnpClaims VerifySnpReport(ReadOnlySpan<byte> report, SnpCertificates certificates, AttestationPolicy policy, AttestationCollateral? collateral = null)
    {
        ArgumentNullException.ThrowIfNull(policy);
        SnpClaims claims = CheckSnpReport(report, certificates, policy.EffectiveTime, collateral);
        policy.Enforce(claims);
        return claims;
    }

    /// <summary>
    /// Checks an SGX DCAP v3 quote without a policy: the layout; the strict PEM chain; the chain
    /// to an SGX anchor at <paramref name="verificationTime"/>; the QE vendor ID; the QE report's
    /// REPORTDATA = SHA-256(attestation key || QE auth data) followed by 32 zero bytes; the QE
    /// identity the anchor expects (MRSIGNER, ISVPRODID, minimum ISVSVN, no DEBUG, ISVSVN equal
    /// to the header's QE SVN); the QE report's signature by the PCK leaf key; and the quote's
    /// signature over bytes [0, 432) by the attestation key. CRLs in <paramref name="collateral"/>
    /// are checked against the chain at the same time (see <see cref="AttestationCollateral"/>).
    /// </summary>
    /// <exception cref="AttestationException">A check failed; <see cref="AttestationException.Check"/> names it.</exception>
    public SgxClaims CheckSgxQuote(ReadOnlySpan<byte> quote, DateTimeOffset verificationTime, AttestationCollateral? collateral = null)
    {
        SgxQuote parsed = SgxQuote.Parse(quote);
        (TrustAnchor anchor, ParsedCertificate pck, DcapCollateralClaims extra) = CheckQuoteCertification(parsed.QeCertification, parsed.AttestationKey.Span, parsed.QeVendorId.Span, parsed.QeSvn, tdx: false, verificationTime, collateral);
        if (!_keys.VerifyP256Raw(parsed.AttestationKey.Span, parsed.SignedBytes.Span, parsed.Signature.Span))
        {
            throw new EvidenceVerificationException("quote.signature", "the quote's ECDSA P-256 signature over bytes [0, 432) does not verify under the attestation key");
        }

        return new SgxClaims(anchor, parsed, pck.SubjectText) { QeTcbStatus = extra.QeTcbStatus, TcbStatus = extra.TcbStatus, PckInfo = extra.PckInfo };
    }

    /// <summary>Verifies a TDX v4 quote and applies <paramref name="policy"/>.</summary>
    /// <exception cref="AttestationException">The quote is malformed, does not verify, or the policy refuses it.</exception>
    public TdxClaims VerifyTdxQuote(ReadOnlySpan<byte> quote, AttestationPolicy policy, AttestationCollateral? collateral = null)
    {
        ArgumentNullException.ThrowIfNull(policy);
        TdxClaims claims = CheckTdxQuote(quote, policy.EffectiveTime, collateral);
        policy.Enforce(claims);
        return claims;
    }

    /// <summary>
    /// Checks a TDX v4 quote without a policy, with the same checks as <see cref="CheckSgxQuote"/>
    /// (the QE identity is the anchor's TDX quoting enclave; the header's reserved SVN bytes are not
    /// compared) and the quote's signature over bytes [0, 632).
    /// </summary>
    /// <exception cref="AttestationException">A check failed; <see cref="AttestationException.Check"/> names it.</exception>
    public TdxClaims CheckTdxQuote(ReadOnlySpan<byte> quote, DateTimeOffset verificationTime, AttestationCollateral? collateral = null)
    {
        TdxQuote parsed = TdxQuote.Parse(quote);
        (TrustAnchor anchor, ParsedCertificate pck, DcapCollateralClaims extra) = CheckQuoteCertification(parsed.QeCertification, parsed.AttestationKey.Span, parsed.QeVendorId.Span, headerQeSvn: null, tdx: true, verificationTime, collateral);
        if (!_keys.VerifyP256Raw(parsed.AttestationKey.Span, parsed.SignedBytes.Span, parsed.Signature.Span))
        {
            throw new EvidenceVerificationException("quote.signature", "the quote's ECDSA P-256 signature over bytes [0, 632) does not verify under the attestation key");
        }

        return new TdxClaims(anchor, parsed, pck.SubjectText) { QeTcbStatus = extra.QeTcbStatus, PckInfo = extra.PckInfo };
    }

    /// <summary>
    /// The checks DCAP quotes share: the strict PEM chain; the QE report's REPORTDATA binding of the
    /// attestation key; the chain to a DCAP anchor; the QE vendor ID; the QE identity; the QE
    /// report's signature by the PCK leaf.
    /// </summary>
    private (TrustAnchor Anchor, ParsedCertificate Pck, DcapCollateralClaims Extra) CheckQuoteCertification(DcapQuoteSignature certification, ReadOnlySpan<byte> attestationKey, ReadOnlySpan<byte> qeVendorId, ushort? headerQeSvn, bool tdx, DateTimeOffset verificationTime, AttestationCollateral? collateral)
    {
        IReadOnlyList<byte[]> ders = StrictPem.DecodeCertificates(certification.CertificationData.Span, requireTrailingNul: true, certification.CertificationDataOffset);
        if (ders.Count < 2)
        {
            throw new EvidenceVerificationException("chain.anchor", $"the certification data holds {ders.Count} certificate; expected the PCK leaf, its CA and the root");
        }

        var names = new string[ders.Count];
        var chain = new ParsedCertificate[ders.Count];
        for (int i = 0; i < ders.Count; i++)
        {
            names[i] = i == 0 ? "PCK leaf" : i == ders.Count - 1 ? "root" : $"PCK intermediate {i}";
            chain[i] = ParseCertificate(ders[i], names[i]);
        }

        // Cheap checks first; the order does not change the outcome, every check must pass.
        ReadOnlySpan<byte> qeReportData = certification.QeReport.ReportData.Span;
        Span<byte> binding = stackalloc byte[32];
        using (var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
        {
            sha.AppendData(attestationKey);
            sha.AppendData(certification.QeAuthData.Span);
            sha.GetHashAndReset(binding);
        }

        if (!qeReportData[..32].SequenceEqual(binding) || qeReportData[32..].ContainsAnyExcept((byte)0))
        {
            throw new EvidenceVerificationException("qe.reportDataBinding", $"the QE report's REPORTDATA must be SHA-256(attestation key || QE auth data) = {Convert.ToHexStringLower(binding)} followed by 32 zero bytes, found {Convert.ToHexStringLower(qeReportData)}");
        }

        TrustAnchor anchor = ValidateChainCached(chain, names, _sgxAnchors, verificationTime);
        CheckRevocation(chain, names, anchor, collateral, verificationTime);
        QuotingEnclaveIdentity qe = (tdx ? anchor.TdxQuotingEnclave : anchor.QuotingEnclave)!;
        if (!qeVendorId.SequenceEqual(qe.VendorId.Span))
        {
            throw new EvidenceVerificationException("quote.qeVendorId", $"the quote header names QE vendor {Convert.ToHexStringLower(qeVendorId)}, expected {Convert.ToHexStringLower(qe.VendorId.Span)} for anchor '{anchor.Name}'");
        }

        SgxReportBody qeReport = certification.QeReport;
        if (!qeReport.MrSigner.Span.SequenceEqual(qe.MrSigner.Span))
        {
            throw new EvidenceVerificationException("qe.identity", $"the quoting enclave's MRSIGNER is {Convert.ToHexStringLower(qeReport.MrSigner.Span)}, expected {Convert.ToHexStringLower(qe.MrSigner.Span)}");
        }

        if (qeReport.IsvProdId != qe.ProductId)
        {
            throw new EvidenceVerificationException("qe.identity", $"the quoting enclave's ISVPRODID is {qeReport.IsvProdId}, expected {qe.ProductId}");
        }

        if (qeReport.IsvSvn < qe.MinimumSvn)
        {
            throw new EvidenceVerificationException("qe.identity", $"the quoting enclave's ISVSVN is {qeReport.IsvSvn}, expected at least {qe.MinimumSvn}");
        }

        if (qeReport.Attributes.IsDebug)
        {
            throw new EvidenceVerificationException("qe.identity", "the quoting enclave is a DEBUG enclave; expected a production quoting enclave");
        }

        // v3 headers carry the QE SVN; in TDX v4 headers those bytes are reserved (real quotes have zeros).
        if (headerQeSvn is { } headerSvn && qeReport.IsvSvn != headerSvn)
        {
            throw new EvidenceVerificationException("qe.identity", $"the quote header's QE SVN is {headerSvn}, but the QE report's ISVSVN is {qeReport.IsvSvn}; expected them equal");
        }

        // Collateral before the signatures: cheaper first; every check must pass either way.
        string? qeTcbStatus = collateral?.QeIdentity is { } qeIdentity
            ? QeIdentityChecker.Check(qeIdentity, qeReport, tdx, anchor, (c, n) => ValidateChainCached(c, n, _sgxAnchors, verificationTime), _keys, verificationTime)
            : null;
        if (!_keys.VerifyEcdsa(chain[0].SubjectPublicKeyInfo, certification.QeReportBytes.Span, certification.QeReportSignature.Span, HashAlgorithmName.SHA256))
        {
            throw new EvidenceVerificationException("qe.signature", "the QE report's ECDSA P-256 signature does not verify under the PCK leaf certificate's key");
        }

        PckCertificateInfo? pckInfo = PckCertificateInfo.Read(chain[0]);
        string? tcbStatus = null;
        if (collateral?.TcbInfo is { } tcbInfo)
        {
            if (tdx)
            {
                throw new EvidenceVerificationException("collateral.tcbInfo.format", "TDX TCB info is not supported; give TCB info only with SGX quotes");
            }

            tcbStatus = TcbInfoChecker.Check(tcbInfo, pckInfo ?? throw new EvidenceVerificationException("pck.extension", "the PCK certificate has no SGX extension (1.2.840.113741.1.13.1), so its TCB cannot be rated"), anchor, (c, n) => ValidateChainCached(c, n, _sgxAnchors, verificationTime), _keys, verificationTime);
        }

        return (anchor, chain[0], new DcapCollateralClaims(pckInfo, qeTcbStatus, tcbStatus));
    }

    /// <summary>
    /// Checks an SEV-SNP report without a policy: the layout (reserved areas and the unused high
    /// bytes of r and s zero); the signing key is a VCEK; the chain VCEK, ASK, ARK to an SNP anchor
    /// at <paramref name="verificationTime"/> (RSA-PSS SHA-384, salt 48); the VCEK's hwID equals
    /// CHIP_ID; the VCEK's TCB extensions equal REPORTED_TCB; and the ECDSA P-384 signature over
    /// bytes [0, 0x2A0) by the VCEK. CRLs in <paramref name="collateral"/> are checked against the
    /// chain at the same time.
    /// </summary>
    /// <exception cref="AttestationException">A check failed; <see cref="AttestationException.Check"/> names it.</exception>
    public SnpClaims CheckSnpReport(ReadOnlySpan<byte> report, SnpCertificates certificates, DateTimeOffset verificationTime, AttestationCollateral? collateral = null)
    {
        ArgumentNullException.ThrowIfNull(certificates);
        SnpReport parsed = SnpReport.Parse(report);
        if (parsed.SigningKey != 0)
        {
            throw new EvidenceVerificationException("report.signingKey", $"the report was signed by key kind {parsed.SigningKey} (1 is VLEK, 7 none); this verifier checks VCEK-signed reports (0)");
        }

        ParsedCertificate vcek = ParseCertificate(certificates.VcekDer.ToArray(), "VCEK");
        // The hwID and TCB of the VCEK must be those of the report.
        byte[]? hwId = vcek.GetExtensionValue(VcekHwIdOid);
        if (parsed.MaskChipKey)
        {
            if (parsed.ChipId.Span.ContainsAnyExcept((byte)0))
            {
                throw new EvidenceVerificationException("report.chipId", "MASK_CHIP_KEY is set, so CHIP_ID must be zero");
            }
        }
        else if (hwId is null || !hwId.AsSpan().SequenceEqual(parsed.ChipId.Span))
        {
            throw new EvidenceVerificationException("vcek.hwId", $"the VCEK's hwID ({(hwId is null ? "missing" : Convert.ToHexStringLower(hwId))}) differs from the report's CHIP_ID {Convert.ToHexStringLower(parsed.ChipId.Span)}");
        }

        CheckVcekTcb(vcek, VcekBootLoaderOid, "blSPL", parsed.ReportedTcb.BootLoader);
        CheckVcekTcb(vcek, VcekTeeOid, "teeSPL", parsed.ReportedTcb.Tee);
        CheckVcekTcb(vcek, VcekSnpOid, "snpSPL", parsed.ReportedTcb.Snp);
        CheckVcekTcb(vcek, VcekMicrocodeOid, "ucodeSPL", parsed.ReportedTcb.Microcode);
        string productName = ReadProductName(vcek);

        var chain = new List<ParsedCertificate> { vcek };
        var names = new List<string> { "VCEK" };
        if (certificates.ChainDer.Count > 0)
        {
            for (int i = 0; i < certificates.ChainDer.Count; i++)
            {
                string name = i == 0 ? "ASK" : i == 1 ? "ARK" : $"certificate {i + 1}";
                chain.Add(ParseCertificate(certificates.ChainDer[i] ?? throw new ArgumentException("A chain certificate is null.", nameof(certificates)), name));
                names.Add(name);
            }
        }
        else
        {
            ParsedCertificate ask = s_milanAsk.Value;
            if (!vcek.Issuer.Equivalent(ask.Subject, true))
            {
                throw new EvidenceVerificationException("chain.issuer", $"the VCEK is issued by '{vcek.Issuer}'; without an ASK given, only the embedded '{ask.SubjectText}' is known");
            }

            chain.Add(ask);
            names.Add("ASK");
        }

        TrustAnchor anchor = ValidateChainCached(chain, names, _snpAnchors, verificationTime);
        CheckRevocation(chain, names, anchor, collateral, verificationTime);

        if (!_keys.VerifyEcdsa(vcek.SubjectPublicKeyInfo, parsed.SignedBytes.Span, parsed.Signature.Span, HashAlgorithmName.SHA384))
        {
            throw new EvidenceVerificationException("report.signature", "the report's ECDSA P-384 signature over bytes [0, 0x2A0) does not verify under the VCEK's key");
        }

        return new SnpClaims(anchor, parsed, productName);
    }

    private sealed record DcapCollateralClaims(PckCertificateInfo? PckInfo, string? QeTcbStatus, string? TcbStatus);

    private void CheckRevocation(IReadOnlyList<ParsedCertificate> chain, IReadOnlyList<string> names, TrustAnchor anchor, AttestationCollateral? collateral, DateTimeOffset time)
    {
        if (collateral is null || collateral.Crls.Count == 0)
        {
            return;
        }

        // The anchor goes last, so a root CRL is checked with the anchor's own key.
        RevocationChecker.Check([.. chain, anchor.Certificate], [.. names, anchor.Name], collateral.Crls, time, _keys);
    }

    /// <summary>Parses a certificate, or reuses the parse of the same bytes; a failed parse is not cached.</summary>
    private ParsedCertificate ParseCertificate(byte[] der, string name) =>
        _certificates.GetOrAdd(der, bytes => ParsedCertificate.Parse(bytes, name));

    private static void CheckVcekTcb(ParsedCertificate vcek, string oid, string name, byte expected)
    {
        byte[]? value = vcek.GetExtensionValue(oid);
        long? found = null;
        if (value is not null)
        {
            try
            {
                if (Asn1Object.FromByteArray(value) is DerInteger integer && integer.GetDerEncoded().AsSpan().SequenceEqual(value))
                {
                    found = integer.Value.BitLength <= 32 ? integer.Value.LongValue : -1;
                }
            }
            catch (Exception e) when (ParsedCertificate.IsParserFailure(e))
            {
                found = null;
            }
        }

        if (found != expected)
        {
            throw new EvidenceVerificationException("vcek.tcb", $"the VCEK's {name} extension ({oid}) is {(found is null ? "missing or malformed" : found.ToString())}, expected {expected} from the report's REPORTED_TCB");
        }
    }

    private static string ReadProductName(ParsedCertificate vcek)
    {
        byte[]? value = vcek.GetExtensionValue(VcekProductNameOid);
        try
        {
            if (value is not null && Asn1Object.FromByteArray(value) is DerIA5String name)
            {
                string text = name.GetString();
                int dash = text.IndexOf('-', StringComparison.Ordinal);
                return dash > 0 ? text[..dash] : text;
            }
        }
        catch (Exception e) when (ParsedCertificate.IsParserFailure(e))
        {
            // Reported below.
        }

        throw new EvidenceVerificationException("vcek.productName", $"the VCEK's productName extension ({VcekProductNameOid}) is missing or malformed");
    }

    private TrustAnchor ValidateChainCached(IReadOnlyList<ParsedCertificate> chain, IReadOnlyList<string> names, TrustAnchor[] anchors, DateTimeOffset time)
    {
        if (anchors.Length == 0)
        {
            throw new EvidenceVerificationException("chain.anchor", "this verifier has no trust anchor for this kind of evidence");
        }

        byte[] key = CacheKey(chain, anchors, time);
        lock (_cacheLock)
        {
            for (LinkedListNode<(byte[] Key, TrustAnchor Anchor)>? node = _chainCache.First; node is not null; node = node.Next)
            {
                if (node.Value.Key.AsSpan().SequenceEqual(key))
                {
                    return node.Value.Anchor;
                }
            }
        }

        TrustAnchor anchor = CertificateChainValidator.Validate(chain, names, anchors, time, _keys);
        lock (_cacheLock)
        {
            _chainCache.AddFirst((key, anchor));
            if (_chainCache.Count > ChainCacheSize)
            {
                _chainCache.RemoveLast();
            }
        }

        return anchor;
    }

    /// <summary>SHA-256 over every input of chain validation: the certificates, the anchors' kind and the time.</summary>
    private static byte[] CacheKey(IReadOnlyList<ParsedCertificate> chain, TrustAnchor[] anchors, DateTimeOffset time)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> number = stackalloc byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteInt64LittleEndian(number, time.UtcTicks);
        hash.AppendData(number);
        System.Buffers.Binary.BinaryPrimitives.WriteInt64LittleEndian(number, (long)anchors[0].Use);
        hash.AppendData(number);
        foreach (ParsedCertificate certificate in chain)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteInt64LittleEndian(number, certificate.Der.Length);
            hash.AppendData(number);
            hash.AppendData(certificate.Der);
        }

        return hash.GetHashAndReset();
    }
}
