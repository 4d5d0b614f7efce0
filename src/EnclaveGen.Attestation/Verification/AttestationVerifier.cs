using EnclaveGen.Attestation.Formats;

namespace EnclaveGen.Attestation.Verification;

/// <summary>
/// Verifies TEE evidence of any registered format against a set of trust anchors: it finds the
/// format's verifier in <see cref="Verifiers"/> (by default <see cref="EvidenceVerifiers.BuiltIn"/>:
/// Intel SGX and TDX DCAP quotes, AMD SEV-SNP reports), lets it check the evidence, and applies a
/// policy to the claims. The same code checks emulated and real evidence; only the anchor differs,
/// and the claims say which (<see cref="AttestationClaims.IsEmulated"/>).
/// </summary>
/// <remarks>
/// <para>Every method throws only <see cref="AttestationException"/> subclasses for bad evidence:
/// <see cref="EvidenceFormatException"/> when the bytes do not parse, <see cref="EvidenceVerificationException"/>
/// when a check fails, <see cref="AttestationPolicyException"/> when the policy refuses verified
/// evidence. <see cref="AttestationException.Check"/> names the check.</para>
/// <para>Instances are immutable and thread-safe. A verifier remembers parsed certificates,
/// imported keys and the last chains it validated (keyed by their exact bytes, anchors and
/// verification time), so verifying many pieces of evidence from one platform is cheap.</para>
/// </remarks>
public sealed class AttestationVerifier
{
    private readonly VerifierCaches _caches = new();

    /// <summary>Creates a verifier that trusts the real Intel and AMD roots (<see cref="TrustAnchor.Defaults"/>).</summary>
    public AttestationVerifier()
        : this(TrustAnchor.Defaults)
    {
    }

    /// <summary>Creates a verifier of the built-in formats that trusts exactly these anchors.</summary>
    public AttestationVerifier(IEnumerable<TrustAnchor> anchors)
        : this(anchors, EvidenceVerifiers.BuiltIn)
    {
    }

    /// <summary>Creates a verifier of the given formats that trusts exactly these anchors.</summary>
    public AttestationVerifier(IEnumerable<TrustAnchor> anchors, IEnumerable<IEvidenceVerifier> verifiers)
    {
        ArgumentNullException.ThrowIfNull(anchors);
        ArgumentNullException.ThrowIfNull(verifiers);
        TrustAnchor[] all = anchors.ToArray();
        if (all.Length == 0 || all.Any(a => a is null))
        {
            throw new ArgumentException("At least one trust anchor, and no null, is needed.", nameof(anchors));
        }

        IEvidenceVerifier[] formats = verifiers.ToArray();
        if (formats.Length == 0 || formats.Any(v => v is null))
        {
            throw new ArgumentException("At least one evidence verifier, and no null, is needed.", nameof(verifiers));
        }

        Anchors = all;
        Verifiers = formats;
    }

    /// <summary>The anchors this verifier trusts.</summary>
    public IReadOnlyList<TrustAnchor> Anchors { get; }

    /// <summary>The formats this verifier checks.</summary>
    public IReadOnlyList<IEvidenceVerifier> Verifiers { get; }

    /// <summary>The format of <paramref name="evidence"/> from its header, or null when no registered format recognises it.</summary>
    public EvidenceFormat? Detect(ReadOnlySpan<byte> evidence) => EvidenceVerifiers.Find(Verifiers, evidence)?.Format;

    /// <summary>Checks evidence of any registered format without a policy.</summary>
    /// <param name="evidence">The evidence bytes.</param>
    /// <param name="verificationTime">The time certificates and collateral must be valid at.</param>
    /// <param name="input">Certificates the evidence does not carry and collateral; null for none.</param>
    /// <exception cref="AttestationException">The evidence has no known format, is malformed, or a check failed; <see cref="AttestationException.Check"/> names it.</exception>
    public AttestationClaims Check(ReadOnlySpan<byte> evidence, DateTimeOffset verificationTime, EvidenceInput? input = null)
    {
        IEvidenceVerifier verifier = EvidenceVerifiers.Find(Verifiers, evidence)
            ?? throw new EvidenceFormatException("evidence", "header", 0, $"the bytes are none of the formats this verifier knows: {EvidenceVerifiers.Describe(Verifiers)}");
        return verifier.Verify(evidence, new EvidenceContext(verificationTime, Anchors, input ?? EvidenceInput.None, _caches));
    }

    /// <summary>Checks evidence and applies <paramref name="policy"/> (its verification time included).</summary>
    /// <exception cref="AttestationException">The evidence does not verify, or the policy refuses it.</exception>
    public AttestationClaims Verify(ReadOnlySpan<byte> evidence, AttestationPolicy policy, EvidenceInput? input = null)
    {
        ArgumentNullException.ThrowIfNull(policy);
        AttestationClaims claims = Check(evidence, policy.EffectiveTime, input);
        policy.Enforce(claims);
        return claims;
    }

    /// <summary>Checks evidence that must be of the format whose claims are <typeparamref name="TClaims"/> (for example <see cref="SgxClaims"/>).</summary>
    /// <exception cref="AttestationException">The evidence is of another format (<c>format</c>), or it does not verify.</exception>
    public TClaims Check<TClaims>(ReadOnlySpan<byte> evidence, DateTimeOffset verificationTime, EvidenceInput? input = null)
        where TClaims : AttestationClaims =>
        Expect<TClaims>(Check(evidence, verificationTime, input));

    /// <summary>Verifies evidence that must be of the format whose claims are <typeparamref name="TClaims"/>, and applies <paramref name="policy"/>.</summary>
    /// <exception cref="AttestationException">The evidence is of another format, does not verify, or the policy refuses it.</exception>
    public TClaims Verify<TClaims>(ReadOnlySpan<byte> evidence, AttestationPolicy policy, EvidenceInput? input = null)
        where TClaims : AttestationClaims
    {
        ArgumentNullException.ThrowIfNull(policy);
        TClaims claims = Check<TClaims>(evidence, policy.EffectiveTime, input);
        policy.Enforce(claims);
        return claims;
    }

    private static TClaims Expect<TClaims>(AttestationClaims claims)
        where TClaims : AttestationClaims =>
        claims as TClaims ?? throw new EvidenceFormatException("evidence", "format", 0, $"expected evidence whose claims are {typeof(TClaims).Name}, found {claims.Format.DisplayName}");
}
