using EnclaveGen.Attestation.Formats;

namespace EnclaveGen.Attestation.Verification;

/// <summary>
/// What a relying party requires of one evidence format beyond the common claims (for example an
/// SEV-SNP guest's VMPL or a TD's RTMRs). Each format's policy lives in the format's folder.
/// </summary>
/// <remarks>
/// Listing format policies in <see cref="AttestationPolicy.FormatPolicies"/> also lists the formats
/// accepted: evidence of a format that has no policy in the list is refused (<c>policy.format</c>),
/// so a requirement written for one format is never skipped because evidence of another arrived.
/// </remarks>
public abstract record FormatPolicy
{
    /// <summary>The format this policy constrains.</summary>
    public abstract EvidenceFormat Format { get; }

    /// <summary>Applies the policy to verified claims of <see cref="Format"/>.</summary>
    /// <exception cref="AttestationPolicyException">A requirement is not met; the exception names it, with the expected and the found value.</exception>
    public abstract void Enforce(AttestationClaims claims);

    /// <summary>The claims as the format's claims type, or a refusal naming both formats.</summary>
    protected TClaims Expect<TClaims>(AttestationClaims claims)
        where TClaims : AttestationClaims
    {
        ArgumentNullException.ThrowIfNull(claims);
        return claims as TClaims ?? throw new AttestationPolicyException("policy.format", $"{Format.DisplayName} evidence", $"{claims.Format.DisplayName} evidence");
    }

    /// <summary>Refuses unless <paramref name="actual"/> equals <paramref name="expected"/> (when one is set).</summary>
    protected static void RequireEqual(string check, ReadOnlyMemory<byte>? expected, ReadOnlyMemory<byte> actual)
    {
        if (expected is { } value && !value.Span.SequenceEqual(actual.Span))
        {
            throw new AttestationPolicyException(check, Convert.ToHexStringLower(value.Span), Convert.ToHexStringLower(actual.Span));
        }
    }

    /// <summary>Refuses unless <paramref name="actual"/> is at least <paramref name="minimum"/> (when one is set).</summary>
    protected static void RequireAtLeast(string check, ulong? minimum, ulong actual)
    {
        if (minimum is { } value && actual < value)
        {
            throw new AttestationPolicyException(check, $"{value} or higher", actual.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }
}
