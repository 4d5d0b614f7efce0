namespace EnclaveGen;

/// <summary>
/// Trusted code threw an exception inside the enclave. Only the exception's type name crosses
/// the boundary; the message crosses only for enclaves built in debug mode, because it may
/// carry secrets.
/// </summary>
public sealed class TrustedCodeException : EnclaveException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="exceptionTypeName">Full name of the exception type thrown inside.</param>
    /// <param name="enclaveMessage">The original message (debug enclaves only), or <see langword="null"/>.</param>
    /// <param name="method">The ECALL that threw.</param>
    public TrustedCodeException(string exceptionTypeName, string? enclaveMessage, string method)
        : base(enclaveMessage is null
            ? $"Trusted code threw {exceptionTypeName} in ECALL '{method}'. The message stays inside the enclave (it is a release enclave)."
            : $"Trusted code threw {exceptionTypeName} in ECALL '{method}': {enclaveMessage}")
    {
        ExceptionTypeName = exceptionTypeName;
        EnclaveMessage = enclaveMessage;
        Method = method;
    }

    /// <summary>Full name of the exception type thrown inside the enclave.</summary>
    public string ExceptionTypeName { get; }

    /// <summary>The original message for debug enclaves; <see langword="null"/> for release enclaves.</summary>
    public string? EnclaveMessage { get; }

    /// <summary>The ECALL that threw.</summary>
    public string Method { get; }
}
