using EnclaveGen.Attestation.X509;

namespace EnclaveGen.Attestation.Verification;

/// <summary>
/// What a format's verifier works with: the verification time, the trust anchors, the caller's
/// certificates and collateral, and the verifier's caches (certificates, keys, validated chains).
/// </summary>
public sealed class EvidenceContext
{
    internal EvidenceContext(DateTimeOffset time, IReadOnlyList<TrustAnchor> anchors, EvidenceInput input, VerifierCaches caches)
    {
        Time = time;
        Anchors = anchors;
        Input = input;
        Caches = caches;
    }

    /// <summary>The time certificates and collateral must be valid at.</summary>
    public DateTimeOffset Time { get; }

    /// <summary>Every anchor the verifier trusts.</summary>
    public IReadOnlyList<TrustAnchor> Anchors { get; }

    /// <summary>The caller's certificates and collateral.</summary>
    public EvidenceInput Input { get; }

    /// <summary>The CRLs given, or none.</summary>
    public IReadOnlyList<byte[]> Crls => Input.Collateral?.Crls ?? [];

    internal VerifierCaches Caches { get; }

    internal PublicKeyCache Keys => Caches.Keys;

    /// <summary>The anchors that may vouch for <paramref name="use"/>.</summary>
    internal TrustAnchor[] AnchorsFor(TrustAnchorUse use) => Anchors.Where(a => a.Use == use).ToArray();

    /// <summary>Parses a certificate (canonical DER), reusing an earlier parse of the same bytes.</summary>
    internal ParsedCertificate Certificate(byte[] der, string name) => Caches.Certificate(der, name);

    /// <summary>Validates a chain, leaf first, to one of <paramref name="anchors"/> at <see cref="Time"/>.</summary>
    internal TrustAnchor ValidateChain(IReadOnlyList<ParsedCertificate> chain, IReadOnlyList<string> names, IReadOnlyList<TrustAnchor> anchors) =>
        Caches.ValidateChain(chain, names, anchors, Time);

    /// <summary>
    /// Checks the given CRLs against a validated chain and its anchor: a CRL whose issuer is a CA of
    /// the path must verify under that CA's key and be current, and must not list a certificate of
    /// the path; a CRL issued by none of them is not about this chain and is skipped.
    /// </summary>
    /// <returns>The CRLs that were about this chain.</returns>
    internal IReadOnlyList<CheckedCrl> CheckRevocation(IReadOnlyList<ParsedCertificate> chain, IReadOnlyList<string> names, TrustAnchor anchor) =>
        Crls.Count == 0 ? [] : RevocationChecker.Check([.. chain, anchor.Certificate], [.. names, anchor.Name], Crls, Time, Keys);
}
