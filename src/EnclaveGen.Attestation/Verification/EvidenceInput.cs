namespace EnclaveGen.Attestation.Verification;

/// <summary>
/// What a relying party has besides the evidence bytes: certificates that do not travel inside the
/// evidence, and collateral. Formats that need neither ignore them; a format that needs a piece that
/// is missing says so (<see cref="AttestationException.Check"/> names what).
/// </summary>
public sealed record EvidenceInput
{
    /// <summary>No certificates and no collateral.</summary>
    public static EvidenceInput None { get; } = new();

    /// <summary>
    /// Certificates the evidence does not carry, DER each, signing certificate first: for an SEV-SNP
    /// report the VCEK (or VLEK), optionally followed by the ASK (or ASVK) and the ARK.
    /// </summary>
    public IReadOnlyList<byte[]> Certificates { get; init; } = [];

    /// <summary>CRLs, and for Intel DCAP quotes TCB info and QE identity; null for none.</summary>
    public AttestationCollateral? Collateral { get; init; }
}
