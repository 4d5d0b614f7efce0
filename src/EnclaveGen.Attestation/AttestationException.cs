namespace EnclaveGen.Attestation;

/// <summary>Evidence could not be parsed or did not verify.</summary>
public class AttestationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public AttestationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with the error that caused it.</summary>
    public AttestationException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
