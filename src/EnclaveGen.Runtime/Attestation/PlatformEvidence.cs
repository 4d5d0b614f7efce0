using EnclaveGen.Attestation.Formats;
using EnclaveGen.Attestation.Verification;

namespace EnclaveGen;

/// <summary>
/// Remote attestation evidence of an enclave, in its profile's format, with what a relying party
/// needs beside it. Verify <see cref="Evidence"/> with <c>AttestationVerifier</c> and
/// <see cref="Input"/>; when <see cref="EnclaveReport"/> is set (confidential-VM profiles), the
/// evidence is the VM's and binds that report body: check it with <see cref="CvmEnclaveBinding.Check"/>
/// and read the enclave's identity and report data from it.
/// </summary>
/// <param name="Format">The evidence format (its <see cref="EvidenceFormat.Family"/> names the TEE family).</param>
/// <param name="Evidence">The quote or report.</param>
/// <param name="Certificates">Certificates the evidence does not carry (an SEV-SNP report's VCEK or VLEK, then its issuers); empty when it carries its chain.</param>
/// <param name="EnclaveReport">The enclave's report body (384 bytes, SGX layout) that VM evidence binds; null when the evidence is the enclave's own quote.</param>
/// <param name="IsEmulated">True when an emulated platform made it: verifiers report it and refuse it unless the policy allows emulated evidence.</param>
public sealed record PlatformEvidence(EvidenceFormat Format, byte[] Evidence, IReadOnlyList<byte[]> Certificates, byte[]? EnclaveReport, bool IsEmulated)
{
    /// <summary>The TEE family of the evidence: <c>sgx</c>, <c>sev-snp</c>, <c>tdx</c> or <c>psa</c>.</summary>
    public string Family => Format.Family;

    /// <summary>What a verifier takes beside <see cref="Evidence"/>.</summary>
    public EvidenceInput Input => new() { Certificates = Certificates };
}
