using EnclaveGen.Attestation.Formats;
using EnclaveGen.Attestation.Verification;

namespace EnclaveGen.Attestation.Cvm;

/// <summary>
/// Verifies <see cref="CvmEnclaveEvidence"/>: the VM's evidence with its own format's verifier (an
/// SEV-SNP report or a TDX quote; nothing else may stand inside), with the certificates the blob
/// carries or, when it carries none, the caller's; then the binding of the enclave's report body
/// (<see cref="CvmEnclaveBinding.Check"/>). The claims are the enclave's, the VM's beside them.
/// </summary>
public sealed class CvmEnclaveVerifier : IEvidenceVerifier
{
    private static readonly IEvidenceVerifier[] s_vmVerifiers = [new SnpReportVerifier(), new TdxQuoteVerifier()];

    /// <inheritdoc/>
    public EvidenceFormat Format => EvidenceFormat.CvmEnclave;

    /// <inheritdoc/>
    public bool Recognizes(ReadOnlySpan<byte> evidence) => CvmEnclaveEvidence.HasHeader(evidence);

    /// <inheritdoc/>
    public AttestationClaims Verify(ReadOnlySpan<byte> evidence, EvidenceContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        CvmEnclaveEvidence blob = CvmEnclaveEvidence.Parse(evidence);
        IEvidenceVerifier vm = EvidenceVerifiers.Find(s_vmVerifiers, blob.VmEvidence)
            ?? throw new EvidenceFormatException("CVM enclave evidence", "VM evidence", 0, $"the VM evidence is none of {EvidenceVerifiers.Describe(s_vmVerifiers)}");
        EvidenceInput input = blob.Certificates.Count == 0 ? context.Input : context.Input with { Certificates = blob.Certificates };
        AttestationClaims vmClaims = vm.Verify(blob.VmEvidence, new EvidenceContext(context.Time, context.Anchors, input, context.Caches));
        return new CvmEnclaveClaims(vmClaims, CvmEnclaveBinding.Check(vmClaims, blob.EnclaveReport));
    }
}
