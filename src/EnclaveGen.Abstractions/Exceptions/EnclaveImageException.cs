namespace EnclaveGen;

/// <summary>
/// An enclave image cannot be measured: the file is not a .NET assembly, it does not define the
/// enclave class, or it records no configuration for it. The message names the file and what is missing.
/// </summary>
public sealed class EnclaveImageException : EnclaveException
{
    /// <summary>Creates the exception.</summary>
    public EnclaveImageException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with the error that caused it.</summary>
    public EnclaveImageException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
