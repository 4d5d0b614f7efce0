using System.Security.Cryptography;
using EnclaveGen.Attestation.Formats;
using EnclaveGen.Attestation.X509;
using Org.BouncyCastle.Asn1.X509;

namespace EnclaveGen.Attestation.Verification;

/// <summary>
/// Verifies AMD SEV-SNP reports with the certificates the caller gives (<see cref="EvidenceInput.Certificates"/>:
/// the VCEK or VLEK that signed the report, optionally followed by its ASK or ASVK and the ARK, in any
/// order; one the chain does not use must be a built-in certificate of the product's ARK).
/// </summary>
/// <remarks>
/// Checks: the layout (<see cref="SnpReport"/>); the signing certificate is the kind the report
/// names (a VCEK, bound to one chip, or a VLEK, which AMD issues to a cloud provider); the product
/// the report's CPUID fields name equals the certificate's product name; a VCEK's hwID equals
/// CHIP_ID (8 bytes on Turin); the certificate's TCB extensions equal REPORTED_TCB (with the FMC SPL
/// on Turin); the chain signing certificate, ASK or ASVK, ARK ends at that product's built-in ARK
/// (or a root the caller added), using the ARK's embedded ASK or ASVK when none is given; the CRLs
/// given (AMD's KDS CRLs, for the ASK and the VCEK) against it; and the report's ECDSA P-384 signature.
/// </remarks>
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
            throw new EvidenceVerificationException("input.certificates", "an SEV-SNP report does not carry the certificate that signed it: give the VCEK or VLEK (from AMD's KDS, the cloud provider, or the host's extended report), optionally followed by the ASK or ASVK and the ARK");
        }

        string kind = report.SigningKey switch
        {
            SnpReport.SigningKeyVcek => "VCEK",
            SnpReport.SigningKeyVlek => "VLEK",
            _ => throw new EvidenceVerificationException("report.signingKey", $"the report's SIGNING_KEY is {report.SigningKey} (0 VCEK, 1 VLEK, 7 none); only VCEK- and VLEK-signed reports can be verified"),
        };

        ParsedCertificate signer = context.Certificate(given[0] ?? throw new ArgumentException("A certificate is null.", nameof(context)), kind);
        string commonName = signer.Subject.GetValueList(X509Name.CN).FirstOrDefault() ?? string.Empty;
        if (commonName != $"SEV-{kind}")
        {
            throw new EvidenceVerificationException("report.signingKey", $"the report is signed by a {kind}, but the certificate given is '{commonName}'; give the {kind}");
        }

        string product = Product(report, signer, kind);
        if (kind == "VCEK")
        {
            CheckChipId(report, signer);
        }

        SnpSigningCertificate.CheckTcb(signer, kind, report.ReportedTcb);
        TrustAnchor[] anchors = Anchors(context, product);
        var chain = new List<ParsedCertificate> { signer };
        var names = new List<string> { kind };
        string intermediate = kind == "VCEK" ? "ASK" : "ASVK";
        AddGivenIssuers(chain, names, given, intermediate, anchors, context);
        if (chain.Count == 1)
        {
            chain.Add(EmbeddedIntermediate(signer, anchors, context)
                ?? throw new EvidenceVerificationException("chain.issuer", $"the {kind} is issued by '{signer.Issuer}'; without an {intermediate} given, only the embedded intermediates of the {product} ARK are known"));
            names.Add(intermediate);
        }

        TrustAnchor anchor = context.ValidateChain(chain, names, anchors);
        context.CheckRevocation(chain, names, anchor);
        if (!context.Keys.VerifyEcdsa(signer.SubjectPublicKeyInfo, report.SignedBytes.Span, report.Signature.Span, HashAlgorithmName.SHA384))
        {
            throw new EvidenceVerificationException("report.signature", $"the report's ECDSA P-384 signature over bytes [0, 0x2A0) does not verify under the {kind}'s key");
        }

        return new SnpClaims(anchor, report, product, kind, SnpSigningCertificate.CspId(signer));
    }

    /// <summary>
    /// Adds the issuers given after the signing certificate. They may come in any order: the chain is
    /// walked from the signing certificate by issuer name. One the chain does not use is accepted only
    /// when it is byte for byte an AMD certificate of the product's ARK (a bundle of ASK, ARK and ASVK
    /// holds one the other key kind needs); anything else given and unused is refused, so that no
    /// certificate passes unchecked. When none names the signer's issuer, all are kept in the order
    /// given, and the chain check says what was given instead.
    /// </summary>
    private static void AddGivenIssuers(List<ParsedCertificate> chain, List<string> names, IReadOnlyList<byte[]> given, string intermediate, TrustAnchor[] anchors, EvidenceContext context)
    {
        var issuers = new List<ParsedCertificate>();
        for (int i = 1; i < given.Count; i++)
        {
            issuers.Add(context.Certificate(given[i] ?? throw new ArgumentException("A certificate is null.", nameof(context)), $"certificate {i + 1} given"));
        }

        for (ParsedCertificate current = chain[0]; !current.Issuer.Equivalent(current.Subject, true) && issuers.Find(c => c.Subject.Equivalent(current.Issuer, true)) is { } next; current = next)
        {
            chain.Add(next);
            names.Add(chain.Count == 2 ? intermediate : "ARK");
            issuers.Remove(next);
        }

        if (chain.Count == 1)
        {
            chain.AddRange(issuers);
            names.AddRange(issuers.Select((_, i) => i == 0 ? intermediate : i == 1 ? "ARK" : $"certificate {i + 2}"));
            return;
        }

        foreach (ParsedCertificate unused in issuers)
        {
            bool isAmds = anchors.Any(a => a.CertificateDer.Span.SequenceEqual(unused.Der) || a.Intermediates.Any(der => der.Span.SequenceEqual(unused.Der)));
            if (!isAmds)
            {
                throw new EvidenceVerificationException("chain.issuer", $"the certificate '{unused.SubjectText}' was given but is not in the chain of the {names[0]} (nor one of the built-in certificates of its ARK)");
            }
        }
    }

    /// <summary>The product from the report's CPUID fields and from the certificate: both when both are known, and they must agree.</summary>
    private static string Product(SnpReport report, ParsedCertificate signer, string kind)
    {
        string certified = SnpSigningCertificate.ProductName(signer, kind);
        if (report.Product is { } cpuid && !string.Equals(cpuid, certified, StringComparison.Ordinal))
        {
            throw new EvidenceVerificationException("report.product", $"the report's CPUID (family 0x{report.CpuidFamilyId:x2}, model 0x{report.CpuidModelId:x2}) names {cpuid}, but the {kind} was issued for {certified}");
        }

        return report.Product ?? certified;
    }

    /// <summary>A VCEK's hwID is the chip's CHIP_ID (8 bytes on Turin); a masked CHIP_ID must be zero.</summary>
    private static void CheckChipId(SnpReport report, ParsedCertificate vcek)
    {
        ReadOnlySpan<byte> chipId = report.TurinLayout ? report.ChipId.Span[..8] : report.ChipId.Span;
        if (report.MaskChipKey)
        {
            if (report.ChipId.Span.ContainsAnyExcept((byte)0))
            {
                throw new EvidenceVerificationException("report.chipId", "MASK_CHIP_KEY is set, so CHIP_ID must be zero");
            }

            return;
        }

        byte[]? hwId = SnpSigningCertificate.HwId(vcek);
        if (hwId is null || !hwId.AsSpan().SequenceEqual(chipId))
        {
            throw new EvidenceVerificationException("vcek.hwId", $"the VCEK's hwID ({(hwId is null ? "missing" : Convert.ToHexStringLower(hwId))}) differs from the report's CHIP_ID {Convert.ToHexStringLower(chipId)}");
        }
    }

    /// <summary>The SEV-SNP anchors that may vouch for this product: its built-in ARK, and any root the caller added (which names no product).</summary>
    private static TrustAnchor[] Anchors(EvidenceContext context, string product)
    {
        TrustAnchor[] all = context.AnchorsFor(TrustAnchorUse.SevSnp);
        if (all.Length == 0)
        {
            throw new EvidenceVerificationException("chain.anchor", "this verifier has no trust anchor for SEV-SNP reports (an AMD ARK)");
        }

        TrustAnchor[] usable = all.Where(a => a.Product is null || a.Product == product).ToArray();
        return usable.Length > 0
            ? usable
            : throw new EvidenceVerificationException("chain.anchor", $"the report comes from a {product} processor, and this verifier trusts no {product} ARK (it trusts {string.Join(", ", all.Select(a => a.Name))})");
    }

    /// <summary>The embedded intermediate (ASK or ASVK) of an anchor whose subject is the signing certificate's issuer.</summary>
    private static ParsedCertificate? EmbeddedIntermediate(ParsedCertificate signing, IEnumerable<TrustAnchor> anchors, EvidenceContext context) =>
        anchors.SelectMany(a => a.Intermediates).Select(der => context.Certificate(der.ToArray(), "embedded intermediate")).FirstOrDefault(c => c.Subject.Equivalent(signing.Issuer, true));
}
