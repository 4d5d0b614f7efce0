using System.Security.Cryptography;
using EnclaveGen.Attestation.Formats;
using EnclaveGen.Attestation.Pem;
using EnclaveGen.Attestation.X509;

namespace EnclaveGen.Attestation.Verification;

/// <summary>
/// The checks every Intel DCAP quote gets, SGX or TDX: the PCK chain to a DCAP anchor (and the
/// CRLs given against it), the QE vendor, the quoting enclave's identity and its binding of the
/// attestation key, the PCK's signature over the QE report, the quote's signature, and with
/// collateral Intel's TCB evaluation.
/// </summary>
internal static class DcapQuoteChecks
{
    private const string PckCommonNamePhrase = "SGX PCK Certificate";

    /// <summary>Runs every check; the order puts cheap checks first and never changes the outcome.</summary>
    /// <param name="data">The quote's signature data.</param>
    /// <param name="signedBytes">The header and body, which the attestation key signed.</param>
    /// <param name="qeVendorId">The header's QE vendor ID.</param>
    /// <param name="headerQeSvn">The header's QE SVN, compared with the QE report's in version 3 quotes; null where it is reserved.</param>
    /// <param name="rules">The TEE's part of the checks.</param>
    /// <param name="context">The verification time, anchors, collateral and caches.</param>
    /// <exception cref="AttestationException">A check failed.</exception>
    public static DcapVerification Verify(DcapSignatureData data, ReadOnlySpan<byte> signedBytes, ReadOnlySpan<byte> qeVendorId, ushort? headerQeSvn, IDcapTcbRules rules, EvidenceContext context)
    {
        if (context.Input.Certificates.Count > 0)
        {
            throw new EvidenceVerificationException("input.certificates", "a DCAP quote carries its own certificate chain; the certificates given beside it would not be used, so they are refused (give them only with SEV-SNP reports)");
        }

        DcapQuoteSignature certification = data.Certification;
        IReadOnlyList<byte[]> ders = StrictPem.DecodeCertificates(certification.CertificationData.Span, allowTrailingNul: true, certification.CertificationDataOffset);
        if (ders.Count < 2)
        {
            throw new EvidenceVerificationException("chain.anchor", $"the certification data holds {ders.Count} certificate; expected the PCK leaf, its CA and the root");
        }

        var names = new string[ders.Count];
        var chain = new ParsedCertificate[ders.Count];
        for (int i = 0; i < ders.Count; i++)
        {
            names[i] = i == 0 ? "PCK leaf" : i == ders.Count - 1 ? "root" : $"PCK intermediate {i}";
            chain[i] = context.Certificate(ders[i], names[i]);
        }

        CheckKeyBinding(certification, data.AttestationKey);
        if (!chain[0].Subject.GetValueList(Org.BouncyCastle.Asn1.X509.X509Name.CN).Any(cn => cn.Contains(PckCommonNamePhrase, StringComparison.Ordinal)))
        {
            throw new EvidenceVerificationException("pck.subject", $"the PCK leaf's subject '{chain[0].SubjectText}' has no common name containing '{PckCommonNamePhrase}'");
        }

        TrustAnchor anchor = context.ValidateChain(chain, names, context.AnchorsFor(TrustAnchorUse.SgxDcap));
        IReadOnlyList<CheckedCrl> crls = context.CheckRevocation(chain, names, anchor);
        CheckQuotingEnclave(certification.QeReport, qeVendorId, headerQeSvn, rules.BuiltInQe(anchor), anchor);
        if (!context.Keys.VerifyEcdsa(chain[0].SubjectPublicKeyInfo, certification.QeReportBytes.Span, certification.QeReportSignature.Span, HashAlgorithmName.SHA256))
        {
            throw new EvidenceVerificationException("qe.signature", "the QE report's ECDSA P-256 signature does not verify under the PCK leaf certificate's key");
        }

        if (!context.Keys.VerifyP256Raw(data.AttestationKey, signedBytes, data.Signature))
        {
            throw new EvidenceVerificationException("quote.signature", $"the quote's ECDSA P-256 signature over bytes [0, {signedBytes.Length}) does not verify under the attestation key");
        }

        PckCertificateInfo? pck = PckCertificateInfo.Read(chain[0]);
        TcbEvaluation? tcb = DcapCollateralEvaluator.Evaluate(new DcapTrust(anchor, chain, crls), pck, certification.QeReport, rules, context);
        return new DcapVerification(anchor, chain[0].SubjectText, pck, tcb);
    }

    /// <summary>The QE report's REPORTDATA must be SHA-256(attestation key || QE auth data) followed by 32 zero bytes.</summary>
    private static void CheckKeyBinding(DcapQuoteSignature certification, ReadOnlySpan<byte> attestationKey)
    {
        ReadOnlySpan<byte> reportData = certification.QeReport.ReportData.Span;
        Span<byte> binding = stackalloc byte[32];
        using (var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
        {
            sha.AppendData(attestationKey);
            sha.AppendData(certification.QeAuthData.Span);
            sha.GetHashAndReset(binding);
        }

        if (!reportData[..32].SequenceEqual(binding) || reportData[32..].ContainsAnyExcept((byte)0))
        {
            throw new EvidenceVerificationException("qe.reportDataBinding", $"the QE report's REPORTDATA must be SHA-256(attestation key || QE auth data) = {Convert.ToHexStringLower(binding)} followed by 32 zero bytes, found {Convert.ToHexStringLower(reportData)}");
        }
    }

    /// <summary>The quoting enclave the anchor requires: vendor, MRSIGNER, ISVPRODID, minimum ISVSVN, no DEBUG, and (version 3) the header's QE SVN.</summary>
    private static void CheckQuotingEnclave(SgxReportBody qeReport, ReadOnlySpan<byte> qeVendorId, ushort? headerQeSvn, QuotingEnclaveIdentity? qe, TrustAnchor anchor)
    {
        if (qe is null)
        {
            throw new EvidenceVerificationException("qe.identity", $"the anchor '{anchor.Name}' names no quoting enclave for this kind of quote");
        }

        if (!qeVendorId.SequenceEqual(qe.VendorId.Span))
        {
            throw new EvidenceVerificationException("quote.qeVendorId", $"the quote header names QE vendor {Convert.ToHexStringLower(qeVendorId)}, expected {Convert.ToHexStringLower(qe.VendorId.Span)} for anchor '{anchor.Name}'");
        }

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

        if (headerQeSvn is { } svn && qeReport.IsvSvn != svn)
        {
            throw new EvidenceVerificationException("qe.identity", $"the quote header's QE SVN is {svn}, but the QE report's ISVSVN is {qeReport.IsvSvn}; expected them equal");
        }
    }
}

/// <summary>A validated PCK chain: its anchor, its certificates (leaf first) and the CRLs checked against it.</summary>
internal sealed record DcapTrust(TrustAnchor Anchor, IReadOnlyList<ParsedCertificate> Chain, IReadOnlyList<CheckedCrl> Crls);

/// <summary>What the DCAP checks establish, for the claims.</summary>
internal sealed record DcapVerification(TrustAnchor Anchor, string PckSubject, PckCertificateInfo? PckInfo, TcbEvaluation? Tcb);
