namespace EnclaveGen.Attestation.SecretRelease;

/// <summary>Why an enclave did not receive a secret from a secret release service (<see cref="SecretReleaseException.Failure"/>).</summary>
public enum SecretReleaseFailure
{
    /// <summary>The service verified the enclave's client certificate and refused it; <see cref="SecretReleaseException.Reason"/> says why (its own <see cref="Tls.AttestedTlsFailure"/>).</summary>
    Refused,

    /// <summary>The server is not the service the enclave was told to trust: its certificate's public key is not the pinned one (a host in the middle, or the wrong address).</summary>
    ServiceNotTrusted,

    /// <summary>The service answered, but not with a secret or a refusal this protocol defines (another HTTP status, a malformed refusal), or the connection failed.</summary>
    ServiceFailed,
}
