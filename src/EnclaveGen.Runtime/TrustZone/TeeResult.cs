namespace EnclaveGen;

/// <summary>
/// The GlobalPlatform TEE Client API's result codes (TEEC_Result, TEE Client API 1.0 §4.4.2) that
/// <see cref="TeeSession"/> reports, with the same values, so code ported from a C client keeps its checks.
/// </summary>
public enum TeeResult : uint
{
    /// <summary>TEEC_SUCCESS.</summary>
    Success = 0x00000000,

    /// <summary>TEEC_ERROR_GENERIC: the trusted application failed (its exception is the inner one).</summary>
    Generic = 0xFFFF0000,

    /// <summary>TEEC_ERROR_ACCESS_DENIED: the enclave refused the call (a private ECALL outside the OCALL that allows it).</summary>
    AccessDenied = 0xFFFF0001,

    /// <summary>TEEC_ERROR_BAD_FORMAT: a boundary message could not be read.</summary>
    BadFormat = 0xFFFF0005,

    /// <summary>TEEC_ERROR_BAD_PARAMETERS: the operation's parameters do not fit the command.</summary>
    BadParameters = 0xFFFF0006,

    /// <summary>TEEC_ERROR_BAD_STATE: the session is closed.</summary>
    BadState = 0xFFFF0007,

    /// <summary>TEEC_ERROR_ITEM_NOT_FOUND: no trusted application has the UUID.</summary>
    ItemNotFound = 0xFFFF0008,

    /// <summary>TEEC_ERROR_NOT_IMPLEMENTED: the trusted application has no such command.</summary>
    NotImplemented = 0xFFFF0009,

    /// <summary>TEEC_ERROR_BUSY: every thread slot of the enclave is taken.</summary>
    Busy = 0xFFFF000D,

    /// <summary>TEEC_ERROR_COMMUNICATION: the enclave's process was lost.</summary>
    Communication = 0xFFFF000E,

    /// <summary>TEEC_ERROR_SECURITY: a boundary message failed its integrity check; the enclave halted.</summary>
    Security = 0xFFFF000F,

    /// <summary>TEEC_ERROR_TARGET_DEAD: the trusted application halted and takes no more commands.</summary>
    TargetDead = 0xFFFF3024,
}

/// <summary>Where a <see cref="TeeResult"/> came from (TEEC_ORIGIN_*).</summary>
public enum TeeReturnOrigin : uint
{
    /// <summary>TEEC_ORIGIN_API: the client API refused the request before it reached the TEE.</summary>
    Api = 1,

    /// <summary>TEEC_ORIGIN_COMMS: the transport to the TEE failed.</summary>
    Communications = 2,

    /// <summary>TEEC_ORIGIN_TEE: the TEE's own code (the boundary) failed.</summary>
    Tee = 3,

    /// <summary>TEEC_ORIGIN_TRUSTED_APP: the trusted application's code failed.</summary>
    TrustedApplication = 4,
}

/// <summary>A GlobalPlatform-style failure of a <see cref="TeeContext"/> or <see cref="TeeSession"/> request: <see cref="Result"/> and <see cref="Origin"/> say what and where.</summary>
public sealed class TeeException : EnclaveException
{
    /// <summary>Creates the exception.</summary>
    public TeeException(TeeResult result, TeeReturnOrigin origin, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Result = result;
        Origin = origin;
    }

    /// <summary>The TEEC result code.</summary>
    public TeeResult Result { get; }

    /// <summary>Where the failure happened.</summary>
    public TeeReturnOrigin Origin { get; }
}
