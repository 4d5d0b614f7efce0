namespace EnclaveGen.Attestation.Formats;

/// <summary>The format of an enclave inside a confidential VM.</summary>
public sealed partial class EvidenceFormat
{
    /// <summary>
    /// An enclave inside a confidential VM (<see cref="Cvm.CvmEnclaveEvidence"/>): the VM's SEV-SNP
    /// report or TDX quote with the enclave's report body it binds, checked by <see cref="Cvm.CvmEnclaveVerifier"/>.
    /// </summary>
    public static EvidenceFormat CvmEnclave { get; } = new("cvm-enclave", "EnclaveGen enclave in a confidential VM") { Family = "cvm" };
}
