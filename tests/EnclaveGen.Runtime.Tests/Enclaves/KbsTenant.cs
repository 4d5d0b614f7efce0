using EnclaveGen;
using EnclaveGen.Attestation.Kbs;

namespace EnclaveGen.Runtime.Tests.Enclaves;

/// <summary>
/// An enclave that gets a secret from a key broker: its TEE key and the opened secret stay inside;
/// the host relays the challenge in and the attestation and the wrapped secret, as JSON text.
/// </summary>
[Enclave]
public partial class KbsTenant
{
    private KbsTeeSession? _session;
    private byte[]? _secret;

    /// <summary>A fresh session (and TEE key) sending Trustee's evidence layout; returns the KBS TEE type for the Request.</summary>
    [Trusted]
    public string Begin()
    {
        _session?.Dispose();
        _session = EnclaveKeyBroker.CreateSession();
        return _session.Tee;
    }

    /// <summary>A fresh session sending EnclaveGen's evidence layout (the enclave's report body bound by the VM's evidence).</summary>
    [Trusted]
    public string BeginWithEnclaveGenLayout()
    {
        _session?.Dispose();
        _session = EnclaveKeyBroker.CreateSession(KbsEvidenceLayout.EnclaveGen);
        return _session.Tee;
    }

    /// <summary>Answers the broker's challenge with this enclave's key and evidence.</summary>
    [Trusted]
    public string Attest(string challengeJson) => Session.Attest(KbsChallenge.Parse(challengeJson)).ToJson();

    /// <summary>Opens the wrapped resource; the secret stays here.</summary>
    [Trusted]
    public void Provision(string resourceJson) => _secret = Session.Open(KbsEncryptedResource.Parse(resourceJson));

    /// <summary>Proves possession without revealing it: the SHA-256 of the secret.</summary>
    [Trusted]
    public byte[] SecretDigest() => System.Security.Cryptography.SHA256.HashData(_secret ?? throw new InvalidOperationException("Provision first."));

    private KbsTeeSession Session => _session ?? throw new InvalidOperationException("Call Begin first.");
}
