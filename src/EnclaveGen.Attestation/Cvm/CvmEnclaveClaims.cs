using EnclaveGen.Attestation.Formats;
using EnclaveGen.Attestation.Verification;

namespace EnclaveGen.Attestation.Cvm;

/// <summary>
/// The claims of an enclave inside a confidential VM, after the VM's evidence verified and its
/// report data was shown to bind the enclave's report body: the common claims are the enclave's
/// (MRENCLAVE, MRSIGNER, product ID, SVN, its report data), so a policy written for an SGX enclave
/// applies unchanged; <see cref="Vm"/> holds the VM's own claims (its measurement, TCB, chip).
/// Emulation and the TCB are the VM's; the enclave counts as debug when it or the VM is.
/// </summary>
public sealed class CvmEnclaveClaims : AttestationClaims
{
    internal CvmEnclaveClaims(AttestationClaims vm, SgxReportBody enclave)
        : base(vm.TrustAnchor, enclave.MrEnclave, enclave.MrSigner, enclave.IsvProdId, enclave.IsvSvn, enclave.Attributes.IsDebug || vm.IsDebug, enclave.ReportData)
    {
        Vm = vm;
        Enclave = enclave;
        Tcb = vm.Tcb;
    }

    /// <inheritdoc/>
    public override EvidenceFormat Format => EvidenceFormat.CvmEnclave;

    /// <summary>The verified claims of the confidential VM (an SEV-SNP report's or a TDX quote's).</summary>
    public AttestationClaims Vm { get; }

    /// <summary>The enclave's report body, as the VM bound it.</summary>
    public SgxReportBody Enclave { get; }

    /// <inheritdoc/>
    protected override string UniqueIdName => "MRENCLAVE";

    /// <inheritdoc/>
    protected override string? SignerIdName => "MRSIGNER";

    /// <inheritdoc/>
    protected override void DescribeFormatFields(ICollection<ClaimField> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        fields.Add(new("vmFormat", "VM evidence", ClaimValue.Text(Vm.Format.Id)));
        fields.Add(new("vmFamily", "VM family", ClaimValue.Text(Vm.Format.Family)));
        fields.Add(new("vmMeasurement", "VM measurement", ClaimValue.Bytes(Vm.UniqueId)));
        fields.Add(new("vmDebug", "VM debug", ClaimValue.Text(Vm.IsDebug ? "yes" : "no")));
    }
}
