using EnclaveGen.Attestation.Kbs;
using EnclaveGen.Runtime.Attestation;

namespace EnclaveGen;

/// <summary>
/// Key release from a Confidential Containers Key Broker Service, for trusted code: a
/// <see cref="KbsTeeSession"/> whose key is made inside this enclave and whose evidence comes from
/// the enclave's <see cref="TeeProfile"/>, in the layout a stock Trustee reads
/// (<see cref="KbsEvidenceLayout.Trustee"/>) or EnclaveGen's (<see cref="KbsEvidenceLayout.EnclaveGen"/>).
/// The host runs <see cref="KbsClient"/> and passes the challenge in and the attestation and the
/// wrapped resource across as JSON text; the resource is opened here and never exists in the clear
/// outside (docs/key-broker.md).
/// </summary>
public static class EnclaveKeyBroker
{
    /// <summary>
    /// Creates a session for this enclave. Its TEE type follows the profile: <c>sgx</c> for
    /// <see cref="TeeProfile.SgxEmulated"/>, <c>snp</c> for <see cref="TeeProfile.CvmEmulated"/>,
    /// <c>tdx</c> for <see cref="TeeProfile.CvmEmulatedTdx"/>; under <see cref="TeeProfile.Cvm"/> it
    /// is the family of the kernel's evidence, so one TSM report is made here to learn it.
    /// </summary>
    /// <param name="layout">
    /// <see cref="KbsEvidenceLayout.Trustee"/> (the default): Trustee's layout, the runtime-data hash in
    /// the hardware evidence's own report data; under a confidential-VM profile that is the VM's report or
    /// quote, so the broker sees the VM's launch measurement, not this enclave's identity.
    /// <see cref="KbsEvidenceLayout.EnclaveGen"/>: <see cref="KbsPlatformEvidence"/>, which carries the
    /// enclave's report body bound by the VM's evidence; only a broker verifying with EnclaveGen reads it.
    /// </param>
    /// <exception cref="EnclaveCallContextException">Called outside a [Trusted] method.</exception>
    /// <exception cref="EnclaveException">Under <see cref="TeeProfile.TrustZoneEmulated"/>, whose PSA tokens the KBS protocol has no TEE type for.</exception>
    /// <exception cref="TsmReportException">Under <see cref="TeeProfile.Cvm"/>: the kernel gave no usable evidence.</exception>
    public static KbsTeeSession CreateSession(KbsEvidenceLayout layout = KbsEvidenceLayout.Trustee)
    {
        EnclaveEvidence evidence = EnclaveAttestation.EvidenceOfRunningEnclave("A key broker session (EnclaveKeyBroker.CreateSession)");
        string tee = evidence.Profile switch
        {
            TeeProfile.SgxEmulated => "sgx",
            TeeProfile.CvmEmulated => "snp",
            TeeProfile.CvmEmulatedTdx => "tdx",
            TeeProfile.TrustZoneEmulated => throw EmulatedPsaEvidence.NoKbsTee(),
            _ => KbsPlatformEvidence.TeeOf(evidence.CreateEvidence([]).Family),
        };
        return layout switch
        {
            KbsEvidenceLayout.Trustee => new KbsTeeSession(tee, reportData => evidence.CreateForTrustee(reportData).Evidence),
            KbsEvidenceLayout.EnclaveGen => new KbsTeeSession(tee, reportData =>
            {
                PlatformEvidence made = evidence.CreateEvidence(reportData);
                return new KbsPlatformEvidence(made.Format.Id, made.Evidence, made.Certificates, made.EnclaveReport).ToJson();
            }),
            _ => throw new ArgumentOutOfRangeException(nameof(layout), layout, "Expected KbsEvidenceLayout.Trustee or KbsEvidenceLayout.EnclaveGen."),
        };
    }
}
