namespace EnclaveGen;

/// <summary>
/// Which enclave identity a sealed blob is bound to (SGX's KEYPOLICY). The policy is chosen when
/// sealing and recorded in the blob; unsealing always uses the recorded policy.
/// </summary>
public enum SealingPolicy
{
    /// <summary>
    /// Only this exact enclave (same MRENCLAVE) can unseal. A rebuilt or upgraded enclave has a
    /// different MRENCLAVE and cannot: re-seal under <see cref="MrSigner"/> before upgrading.
    /// </summary>
    MrEnclave = 1,

    /// <summary>
    /// Any enclave signed by the same signer (MRSIGNER) with the same product ID, at the same or a
    /// higher security version, can unseal. This is the policy that survives upgrades.
    /// </summary>
    MrSigner = 2,
}
