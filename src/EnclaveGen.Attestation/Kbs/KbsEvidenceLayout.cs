namespace EnclaveGen.Attestation.Kbs;

/// <summary>How a TEE's evidence is laid out in a KBS Attestation's <c>primary_evidence</c> (docs/key-broker.md).</summary>
public enum KbsEvidenceLayout
{
    /// <summary>
    /// The layout of Trustee's own attester for the TEE type (<see cref="TrusteeSgxEvidence"/>,
    /// <see cref="TrusteeSnpEvidence"/>, <see cref="TrusteeTdxEvidence"/>), with the runtime-data hash
    /// as the hardware evidence's own report data: what a stock Trustee reads. Under a confidential VM
    /// the evidence is the VM's, so the broker sees the VM's launch measurement, not the enclave inside.
    /// </summary>
    Trustee,

    /// <summary>
    /// <see cref="KbsPlatformEvidence"/>: the evidence, its certificates and, under a confidential VM,
    /// the enclave's report body that the VM's report data binds, with the hash in the enclave's report
    /// data. Only a broker whose verifier is EnclaveGen's reads it; it shows the enclave's identity.
    /// </summary>
    EnclaveGen,
}
