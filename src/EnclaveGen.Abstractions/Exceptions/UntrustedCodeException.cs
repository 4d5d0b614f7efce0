namespace EnclaveGen;

/// <summary>
/// The host's implementation of an OCALL threw. Trusted code sees this exception at the OCALL
/// call site, with the host exception's type name and message (host data: do not trust it).
/// </summary>
public sealed class UntrustedCodeException : EnclaveException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="exceptionTypeName">Full name of the exception type the host threw.</param>
    /// <param name="hostMessage">The host exception's message.</param>
    /// <param name="method">The OCALL that failed.</param>
    public UntrustedCodeException(string exceptionTypeName, string? hostMessage, string method)
        : base($"The host's implementation of OCALL '{method}' threw {exceptionTypeName}: {hostMessage}")
    {
        ExceptionTypeName = exceptionTypeName;
        HostMessage = hostMessage;
        Method = method;
    }

    /// <summary>Full name of the exception type the host threw.</summary>
    public string ExceptionTypeName { get; }

    /// <summary>The host exception's message, as the host sent it.</summary>
    public string? HostMessage { get; }

    /// <summary>The OCALL that failed.</summary>
    public string Method { get; }
}
