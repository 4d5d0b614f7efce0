namespace EnclaveGen;

/// <summary>What a boundary message carries.</summary>
public enum MessageKind : byte
{
    /// <summary>Host to enclave: the arguments of an ECALL.</summary>
    EcallRequest = 1,

    /// <summary>Enclave to host: the results of an ECALL.</summary>
    EcallResult = 2,

    /// <summary>Enclave to host: trusted code threw (type name; message only for debug enclaves).</summary>
    EcallFault = 3,

    /// <summary>Enclave to host: the enclave refused the ECALL's arguments as malformed.</summary>
    EcallRejected = 4,

    /// <summary>Enclave to host: the arguments of an OCALL.</summary>
    OcallRequest = 5,

    /// <summary>Host to enclave: the results of an OCALL.</summary>
    OcallResult = 6,

    /// <summary>Host to enclave: the host's OCALL implementation threw.</summary>
    OcallFault = 7,

    /// <summary>Host to enclave: the host refused the OCALL's arguments as malformed.</summary>
    OcallRejected = 8,

    /// <summary>Host to enclave: the host cancelled the ECALL this OCALL belongs to; the OCALL did not run.</summary>
    OcallCancelled = 9,

    /// <summary>Enclave to host: the ECALL is private and no OCALL that allows it is running.</summary>
    EcallDenied = 10,
}
