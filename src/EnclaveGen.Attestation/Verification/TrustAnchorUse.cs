namespace EnclaveGen.Attestation.Verification;

/// <summary>What evidence a trust anchor may vouch for.</summary>
public enum TrustAnchorUse
{
    /// <summary>Intel DCAP quotes (SGX v3 and TDX v4, PCK certificate chains), real or emulated.</summary>
    SgxDcap,

    /// <summary>AMD SEV-SNP reports (VCEK, ASK, ARK).</summary>
    SevSnp,
}
