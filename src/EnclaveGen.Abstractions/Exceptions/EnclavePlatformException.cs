namespace EnclaveGen;

/// <summary>
/// The emulated platform's store cannot be used: it is unreadable, corrupt, or readable by other
/// users. The message names the file and what to do.
/// </summary>
public sealed class EnclavePlatformException : EnclaveException
{
    /// <summary>Creates the exception.</summary>
    public EnclavePlatformException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with the error that caused it.</summary>
    public EnclavePlatformException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
