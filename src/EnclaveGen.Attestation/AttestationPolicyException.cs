namespace EnclaveGen.Attestation;

/// <summary>
/// The evidence is genuine, but the relying party's <see cref="Verification.AttestationPolicy"/>
/// refuses it: an unexpected identity, a too low security version, a debug or emulated enclave
/// that the policy does not allow, or report data that does not carry the expected binding.
/// </summary>
public sealed class AttestationPolicyException : AttestationException
{
    /// <summary>Creates the exception naming the failed check, the expected and the found value.</summary>
    /// <param name="check">A stable identifier such as <c>policy.debug</c>.</param>
    /// <param name="expected">What the policy expected.</param>
    /// <param name="actual">What the evidence says.</param>
    public AttestationPolicyException(string check, string expected, string actual)
        : base(check, $"{check}: expected {expected}, found {actual}", null)
    {
        Expected = expected;
        Actual = actual;
    }

    /// <summary>What the policy expected.</summary>
    public string Expected { get; }

    /// <summary>What the evidence says.</summary>
    public string Actual { get; }
}
