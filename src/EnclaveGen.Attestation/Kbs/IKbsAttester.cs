namespace EnclaveGen.Attestation.Kbs;

/// <summary>
/// The TEE side of the KBS protocol, which <see cref="KbsClient"/> calls between the challenge and
/// the attestation: whatever holds the TEE key and can make evidence. <see cref="KbsTeeSession"/>
/// is the implementation; inside an enclave, a host-side adapter forwards the two calls to
/// [Trusted] methods as JSON text (<see cref="KbsChallenge.ToJson"/>, <see cref="KbsAttestation.Parse"/>).
/// </summary>
public interface IKbsAttester
{
    /// <summary>The KBS protocol's TEE type: <c>snp</c>, <c>tdx</c>, <c>sgx</c>, ... (the <c>tee</c> of the Request).</summary>
    string Tee { get; }

    /// <summary>Answers a challenge: the TEE public key and evidence whose report data is <see cref="KbsAttestation.ReportData"/> of the nonce and that key.</summary>
    KbsAttestation Attest(KbsChallenge challenge);
}
