namespace EnclaveGen.Shared.Validation;

/// <summary>Which way a boundary method crosses.</summary>
internal enum BoundaryKind
{
    /// <summary>[Trusted]: an ECALL, host to enclave.</summary>
    Trusted,

    /// <summary>[Untrusted]: an OCALL, enclave to host.</summary>
    Untrusted,
}
