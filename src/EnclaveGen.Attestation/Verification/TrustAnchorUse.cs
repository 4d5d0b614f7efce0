namespace EnclaveGen.Attestation.Verification;

/// <summary>What evidence a trust anchor may vouch for.</summary>
public enum TrustAnchorUse
{
    /// <summary>Intel DCAP quotes (SGX and TDX, PCK certificate chains) and their collateral, real or emulated.</summary>
    SgxDcap,

    /// <summary>AMD SEV-SNP reports (VCEK or VLEK, ASK or ASVK, ARK).</summary>
    SevSnp,
}
