namespace EnclaveGen;

/// <summary>The base of every error EnclaveGen raises about an enclave or its boundary.</summary>
public class EnclaveException : Exception
{
    /// <summary>Creates the exception with a message that says what happened and what to do.</summary>
    public EnclaveException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the error that caused it.</summary>
    public EnclaveException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
