using EnclaveGen.Attestation.Formats;
using EnclaveGen.Runtime.Attestation;
using EnclaveGen.Runtime.Enclave;

namespace EnclaveGen;

/// <summary>
/// Attestation for trusted code. Local attestation: a report that only a named target enclave on
/// the same platform can verify. Remote attestation: a quote (Intel DCAP v3 layout) that anyone can
/// verify with <c>EnclaveGen.Attestation.Verification.AttestationVerifier</c>; on the emulated
/// platform it chains to the platform's emulated root and verifies as emulated.
/// </summary>
/// <remarks>
/// REPORTDATA (64 bytes) is how the enclave binds something to its identity: a nonce from the
/// relying party, or the hash of a key (see <see cref="AttestedChannelOffer"/>).
/// </remarks>
public static class EnclaveAttestation
{
    /// <summary>This enclave's target info: hand it to another enclave so that enclave can make reports for this one.</summary>
    public static EnclaveTargetInfo TargetInfo => Current.TargetInfo;

    /// <summary>A local report of this enclave (432 bytes, SGX layout) that only <paramref name="target"/> on this platform can verify.</summary>
    public static byte[] CreateReport(EnclaveTargetInfo target, ReadOnlySpan<byte> reportData) => Current.CreateReport(target, reportData);

    /// <summary>
    /// Verifies a local report made for this enclave on this platform and returns the reporting
    /// enclave's identity and report data.
    /// </summary>
    /// <exception cref="EnclaveGen.Attestation.AttestationException">The report is malformed, or was not made for this enclave on this platform.</exception>
    public static SgxReportBody VerifyReport(ReadOnlySpan<byte> report) => Current.VerifyReport(report);

    /// <summary>A quote of this enclave (DCAP v3, ECDSA P-256) binding <paramref name="reportData"/> (up to 64 bytes).</summary>
    /// <exception cref="EnclaveException">The enclave runs under a confidential-VM profile, whose evidence is not a quote: use <see cref="CreateEvidence"/>.</exception>
    public static byte[] CreateQuote(ReadOnlySpan<byte> reportData) => Current.CreateQuote(reportData);

    /// <summary>
    /// This enclave's remote evidence in the format of its <see cref="TeeProfile"/>, binding
    /// <paramref name="reportData"/> (up to 64 bytes): a DCAP quote under the default profile; under
    /// a confidential-VM profile the VM's report, which binds the enclave's report body
    /// (<see cref="PlatformEvidence.EnclaveReport"/>; docs/profiles.md describes the binding); under
    /// <see cref="TeeProfile.TrustZoneEmulated"/> an emulated PSA attestation token whose nonce is
    /// <paramref name="reportData"/> (zero-padded to 64 bytes).
    /// </summary>
    /// <exception cref="TsmReportException">Under <see cref="TeeProfile.Cvm"/>: the kernel gave no usable evidence.</exception>
    public static PlatformEvidence CreateEvidence(ReadOnlySpan<byte> reportData) => Current.CreateEvidence(reportData);

    /// <summary>
    /// Evidence that an <c>AttestationVerifier</c> checks by itself, binding <paramref name="reportData"/>
    /// (up to 64 bytes): the DCAP quote under the default profile; under a confidential-VM profile one
    /// <c>CvmEnclaveEvidence</c> blob (the VM's report, its certificates and the enclave's report body),
    /// whose claims are the enclave's identity and report data with the VM's claims beside them.
    /// This is what attested channels send.
    /// </summary>
    /// <exception cref="EnclaveException">Under <see cref="TeeProfile.TrustZoneEmulated"/>, whose PSA tokens are checked with the device's key instead.</exception>
    public static byte[] CreateVerifiableEvidence(ReadOnlySpan<byte> reportData) => Current.CreateVerifiableEvidence(reportData);

    private static EnclaveEvidence Current => EvidenceOfRunningEnclave("Attestation");

    /// <summary>The running enclave's evidence source; <paramref name="what"/> names the caller's work in the error outside an enclave.</summary>
    internal static EnclaveEvidence EvidenceOfRunningEnclave(string what) => (EnclaveCallContext.Current
        ?? throw new EnclaveCallContextException($"{what} runs inside an enclave: call it from a [Trusted] method (or code it awaits).")).Enclave.Evidence;
}
