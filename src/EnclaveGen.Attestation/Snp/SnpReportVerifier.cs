using System.Security.Cryptography;
using EnclaveGen.Attestation.Formats;
using EnclaveGen.Attestation.X509;

namespace EnclaveGen.Attestation.Verification;

/// <summary>
/// Verifies AMD SEV-SNP reports with the certificates the caller gives (<see cref="EvidenceInput.Certificates"/>:
/// the VCEK, optionally followed by the ASK and ARK): the layout (<see cref="SnpReport"/>), the
/// VCEK's hwID against CHIP_ID and its TCB extensions against REPORTED_TCB, the chain VCEK, ASK, ARK
/// to an SEV-SNP anchor (the anchor's embedded ASK when none is given), the CRLs given against it,
/// and the report's ECDSA P-384 signature.
/// </summary>
public sealed class SnpReportVerifier : IEvidenceVerifier
{
    /// <inheritdoc/>
    public EvidenceFormat Format => EvidenceFormat.SnpReport;

    /// <inheritdoc/>
    public bool Recognizes(ReadOnlySpan<byte> evidence) => SnpReport.HasHeader(evidence);

    /// <inheritdoc/>
    public AttestationClaims Verify(ReadOnlySpan<byte> evidence, EvidenceContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        SnpReport report = SnpReport.Parse(evidence);
        IReadOnlyList<byte[]> given = context.Input.Certificates;
        if (given.Count == 0)
        {
            throw new EvidenceVerificationException("input.certificates", "an SEV-SNP report does not carry the certificate that signed it: give the VCEK (from AMD's KDS, or the host's extended report), optionally followed by the ASK and ARK");
        }

        if (report.SigningKey != SnpReport.SigningKeyVcek)
        {
            throw new EvidenceVerificationException("report.signingKey", $"the report was signed by key kind {report.SigningKey} (1 is VLEK, 7 none); this verifier checks VCEK-signed reports (0)");
        }

        ParsedCertificate vcek = context.Certificate(given[0] ?? throw new ArgumentException("A certificate is null.", nameof(context)), "VCEK");
        byte[]? hwId = SnpSigningCertificate.HwId(vcek);
        if (report.MaskChipKey)
        {
            if (report.ChipId.Span.ContainsAnyExcept((byte)0))
            {
                throw new EvidenceVerificationException("report.chipId", "MASK_CHIP_KEY is set, so CHIP_ID must be zero");
            }
        }
        else if (hwId is null || !hwId.AsSpan().SequenceEqual(report.ChipId.Span))
        {
            throw new EvidenceVerificationException("vcek.hwId", $"the VCEK's hwID ({(hwId is null ? "missing" : Convert.ToHexStringLower(hwId))}) differs from the report's CHIP_ID {Convert.ToHexStringLower(report.ChipId.Span)}");
        }

        SnpSigningCertificate.CheckTcb(vcek, "VCEK", report.ReportedTcb);
        string product = SnpSigningCertificate.ProductName(vcek, "VCEK");
        TrustAnchor[] anchors = context.AnchorsFor(TrustAnchorUse.SevSnp);
        if (anchors.Length == 0)
        {
            throw new EvidenceVerificationException("chain.anchor", "this verifier has no trust anchor for SEV-SNP reports (an AMD ARK)");
        }

        var chain = new List<ParsedCertificate> { vcek };
        var names = new List<string> { "VCEK" };
        for (int i = 1; i < given.Count; i++)
        {
            string name = i == 1 ? "ASK" : i == 2 ? "ARK" : $"certificate {i + 1}";
            chain.Add(context.Certificate(given[i] ?? throw new ArgumentException("A certificate is null.", nameof(context)), name));
            names.Add(name);
        }

        if (chain.Count == 1)
        {
            ParsedCertificate ask = EmbeddedIntermediate(vcek, anchors, context)
                ?? throw new EvidenceVerificationException("chain.issuer", $"the VCEK is issued by '{vcek.Issuer}'; without an ASK given, only the embedded ones are known: {string.Join(", ", anchors.SelectMany(a => a.Intermediates).Select(d => context.Certificate(d.ToArray(), "embedded").SubjectText))}");
            chain.Add(ask);
            names.Add("ASK");
        }

        TrustAnchor anchor = context.ValidateChain(chain, names, anchors);
        context.CheckRevocation(chain, names, anchor);
        if (!context.Keys.VerifyEcdsa(vcek.SubjectPublicKeyInfo, report.SignedBytes.Span, report.Signature.Span, HashAlgorithmName.SHA384))
        {
            throw new EvidenceVerificationException("report.signature", "the report's ECDSA P-384 signature over bytes [0, 0x2A0) does not verify under the VCEK's key");
        }

        return new SnpClaims(anchor, report, product);
    }

    /// <summary>The embedded intermediate (ASK or ASVK) of an anchor whose subject is the signing certificate's issuer.</summary>
    private static ParsedCertificate? EmbeddedIntermediate(ParsedCertificate signing, IEnumerable<TrustAnchor> anchors, EvidenceContext context) =>
        anchors.SelectMany(a => a.Intermediates).Select(der => context.Certificate(der.ToArray(), "embedded intermediate")).FirstOrDefault(c => c.Subject.Equivalent(signing.Issuer, true));
}
