using System.Security.Cryptography;
using EnclaveGen.Attestation.Formats;
using EnclaveGen.Attestation.X509;

namespace EnclaveGen.Attestation.Verification;

/// <summary>
/// Intel's TCB evaluation of a DCAP quote from its collateral, as Intel's quote verification
/// library does it: the CRLs of the PCK chain's CAs, TCB info and QE identity each signed by the
/// anchor's pinned TCB signing certificate under the quote's own root, current at the verification
/// time, for this TEE and this platform; the QE's level; the platform's level; the merged status.
/// </summary>
internal static class DcapCollateralEvaluator
{
    /// <summary>Evaluates the collateral of the context, or returns null when none was given.</summary>
    /// <exception cref="EvidenceVerificationException">A piece is missing (<c>collateral.incomplete</c>), does not verify or does not apply (<c>collateral.tcbInfo.*</c>, <c>collateral.qeIdentity.*</c>), or no level matches.</exception>
    public static TcbEvaluation? Evaluate(DcapTrust trust, PckCertificateInfo? pck, SgxReportBody qeReport, IDcapTcbRules rules, EvidenceContext context)
    {
        AttestationCollateral? collateral = context.Input.Collateral;
        if (collateral is null || (collateral.TcbInfo is null && collateral.QeIdentity is null))
        {
            return null;
        }

        TcbInfoCollateral tcbInfoCollateral = collateral.TcbInfo ?? throw Incomplete("the QE identity was given without the TCB info");
        QeIdentityCollateral qeIdentityCollateral = collateral.QeIdentity ?? throw Incomplete("the TCB info was given without the QE identity");
        CheckCrlsCoverChain(trust);
        PckCertificateInfo pckInfo = pck ?? throw new EvidenceVerificationException("pck.extension", "the PCK certificate has no SGX extension (1.2.840.113741.1.13.1), so its TCB cannot be rated");

        (TcbInfo info, DateTimeOffset tcbInfoSignerExpiry) = Open(tcbInfoCollateral, "collateral.tcbInfo", trust.Anchor, context, TcbInfo.Parse);
        (QeIdentity identity, DateTimeOffset qeSignerExpiry) = Open(qeIdentityCollateral, "collateral.qeIdentity", trust.Anchor, context, QeIdentity.Parse);

        if (info.Id != rules.TcbInfoId)
        {
            throw new EvidenceVerificationException("collateral.tcbInfo.tee", $"the TCB info is for {info.Id} (version {info.Version}), the quote is a {rules.TcbInfoId} quote (Intel: TCB info mismatch)");
        }

        CheckCurrent("collateral.tcbInfo", info.IssueDate, info.NextUpdate, context.Time);
        if (!info.Fmspc.AsSpan().SequenceEqual(pckInfo.Fmspc.Span))
        {
            throw new EvidenceVerificationException("collateral.tcbInfo.platform", $"the TCB info is for FMSPC {Convert.ToHexStringLower(info.Fmspc)}, the PCK certificate's is {Convert.ToHexStringLower(pckInfo.Fmspc.Span)} (Intel: TCB info mismatch)");
        }

        if (!info.PceId.AsSpan().SequenceEqual(pckInfo.PceId.Span))
        {
            throw new EvidenceVerificationException("collateral.tcbInfo.platform", $"the TCB info is for PCE ID {Convert.ToHexStringLower(info.PceId)}, the PCK certificate's is {Convert.ToHexStringLower(pckInfo.PceId.Span)} (Intel: TCB info mismatch)");
        }

        if (identity.Id != rules.QeIdentityId)
        {
            throw new EvidenceVerificationException("collateral.qeIdentity.tee", $"the QE identity is for '{identity.Id}', a {rules.TcbInfoId} quote needs '{rules.QeIdentityId}' (Intel: QE identity mismatch)");
        }

        CheckCurrent("collateral.qeIdentity", identity.IssueDate, identity.NextUpdate, context.Time);
        QeIdentityLevel qe = identity.Evaluate(qeReport);
        PlatformTcb platform = rules.Evaluate(info, pckInfo, qe);

        List<string> advisories = [.. platform.AdvisoryIds];
        advisories.AddRange(qe.AdvisoryIds.Where(a => !advisories.Contains(a)));
        IEnumerable<DateTimeOffset> expiries = [info.NextUpdate, identity.NextUpdate, tcbInfoSignerExpiry, qeSignerExpiry, .. trust.Crls.Select(c => c.NextUpdate),
            .. trust.Chain.Select(c => new DateTimeOffset(DateTime.SpecifyKind(c.Certificate.NotAfter, DateTimeKind.Utc))), new DateTimeOffset(DateTime.SpecifyKind(trust.Anchor.Certificate.Certificate.NotAfter, DateTimeKind.Utc))];
        return new TcbEvaluation
        {
            Status = platform.Status,
            PlatformStatus = platform.PlatformStatus,
            QuotingEnclaveStatus = qe.Status,
            TdxModuleStatus = platform.ModuleStatus,
            AdvisoryIds = advisories,
            TcbDate = platform.TcbDates.Append(qe.TcbDate).Min(),
            TcbEvaluationDataNumber = Math.Min(info.TcbEvaluationDataNumber, identity.TcbEvaluationDataNumber),
            CollateralIssuedAt = info.IssueDate < identity.IssueDate ? info.IssueDate : identity.IssueDate,
            CollateralExpiresAt = expiries.Min(),
        };
    }

    /// <summary>Intel's QVL needs the CRL of every CA of the PCK chain: the PCK CA's and the root CA's.</summary>
    private static void CheckCrlsCoverChain(DcapTrust trust)
    {
        foreach (ParsedCertificate ca in trust.Chain.Skip(1).Append(trust.Anchor.Certificate))
        {
            if (!trust.Crls.Any(crl => crl.Issuer.Subject.Equivalent(ca.Subject, true)))
            {
                throw Incomplete($"no CRL of '{ca.SubjectText}' was given; TCB evaluation needs the CRL of every CA of the PCK chain (the PCK CA's and the root CA's)");
            }
        }
    }

    /// <summary>
    /// Authenticates a piece of signed collateral: its chain validates to the quote's own anchor, its
    /// signer is the anchor's pinned collateral signer, the CRLs given do not revoke it, and its
    /// ECDSA P-256 signature covers the exact JSON bytes. Only then is the JSON read.
    /// </summary>
    /// <returns>The parsed collateral and when its signing chain expires.</returns>
    private static (T Value, DateTimeOffset SignerExpiry) Open<T>(SignedCollateral collateral, string check, TrustAnchor quoteAnchor, EvidenceContext context, Func<ReadOnlyMemory<byte>, T> parse)
    {
        if (collateral.SignedJson.Length is 0 or > SignedCollateral.MaxJsonSize)
        {
            throw new EvidenceVerificationException($"{check}.format", $"the collateral is {collateral.SignedJson.Length} bytes; expected 1 to {SignedCollateral.MaxJsonSize}");
        }

        if (collateral.SigningChainDer is not { Count: > 0 })
        {
            throw new EvidenceVerificationException($"{check}.chain", "the collateral's signing chain is empty");
        }

        var chain = new List<ParsedCertificate>();
        var names = new List<string>();
        for (int i = 0; i < collateral.SigningChainDer.Count; i++)
        {
            names.Add(i == 0 ? "collateral signing" : $"collateral issuer {i}");
            chain.Add(context.Certificate(collateral.SigningChainDer[i] ?? throw new ArgumentException("A certificate is null.", nameof(collateral)), names[i]));
        }

        TrustAnchor anchor = context.ValidateChain(chain, names, context.AnchorsFor(TrustAnchorUse.SgxDcap));
        if (!ReferenceEquals(anchor, quoteAnchor))
        {
            throw new EvidenceVerificationException($"{check}.chain", $"the collateral is signed under '{anchor.Name}', the quote under '{quoteAnchor.Name}'; expected the same root");
        }

        if (!anchor.IsCollateralSigner(chain[0].Subject))
        {
            throw new EvidenceVerificationException($"{check}.signer", $"the collateral is signed by '{chain[0].SubjectText}', but under '{anchor.Name}' only '{anchor.CollateralSignerSubject ?? "(no collateral signer is pinned)"}' may sign it");
        }

        context.CheckRevocation(chain, names, anchor);
        if (!context.Keys.VerifyEcdsa(chain[0].SubjectPublicKeyInfo, collateral.SignedJson.Span, collateral.Signature.Span, HashAlgorithmName.SHA256))
        {
            throw new EvidenceVerificationException($"{check}.signature", "the ECDSA P-256 signature over the collateral's JSON does not verify under its signing certificate");
        }

        DateTimeOffset expiry = chain.Select(c => new DateTimeOffset(DateTime.SpecifyKind(c.Certificate.NotAfter, DateTimeKind.Utc))).Min();
        return (parse(collateral.SignedJson), expiry);
    }

    private static void CheckCurrent(string check, DateTimeOffset issueDate, DateTimeOffset nextUpdate, DateTimeOffset time)
    {
        if (time < issueDate || time > nextUpdate)
        {
            throw new EvidenceVerificationException($"{check}.validity", $"the collateral is current from {issueDate.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ} to {nextUpdate.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}, not at the verification time {time.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}; fetch current collateral");
        }
    }

    private static EvidenceVerificationException Incomplete(string message) =>
        new("collateral.incomplete", $"{message}; a TCB status needs all of Intel's collateral: TCB info, QE identity and the CRLs of the root CA and the PCK CA");
}
