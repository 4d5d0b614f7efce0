using EnclaveGen.Attestation.Formats;

namespace EnclaveGen.Attestation.Verification;

/// <summary>
/// Verifies one evidence format: it recognises the format from its header, checks every signature,
/// binding and certificate chain the format has, and returns the format's claims. A verifier holds
/// no state of its own; caches and trust anchors come with the <see cref="EvidenceContext"/>.
/// Verifiers are found through one table, <see cref="EvidenceVerifiers.BuiltIn"/>; the caller never
/// switches on the format.
/// </summary>
public interface IEvidenceVerifier
{
    /// <summary>The format this verifier checks.</summary>
    EvidenceFormat Format { get; }

    /// <summary>
    /// True when <paramref name="evidence"/> has this format's header (a cheap look at a few fields,
    /// not a validation). At most one registered verifier may recognise any input.
    /// </summary>
    bool Recognizes(ReadOnlySpan<byte> evidence);

    /// <summary>Checks the evidence without a policy and returns its claims.</summary>
    /// <exception cref="AttestationException">The evidence is malformed or a check failed; <see cref="AttestationException.Check"/> names it.</exception>
    AttestationClaims Verify(ReadOnlySpan<byte> evidence, EvidenceContext context);
}
