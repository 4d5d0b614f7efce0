namespace EnclaveGen;

/// <summary>Which way a boundary message travels. Part of every nonce, so a message cannot be reflected back.</summary>
public enum BoundaryDirection : byte
{
    /// <summary>From the untrusted host into the enclave: ECALL requests and OCALL results.</summary>
    HostToEnclave = 1,

    /// <summary>From the enclave out to the host: ECALL results and OCALL requests.</summary>
    EnclaveToHost = 2,
}
