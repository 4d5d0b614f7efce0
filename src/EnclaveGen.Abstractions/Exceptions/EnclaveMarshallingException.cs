namespace EnclaveGen;

/// <summary>
/// Data that crossed the boundary is not what the method's signature allows: a length, count or
/// nesting depth out of bounds, a null where the type forbids it, or bytes left over. The call
/// fails and the enclave's state is untouched.
/// </summary>
public sealed class EnclaveMarshallingException : EnclaveException
{
    /// <summary>Creates the exception.</summary>
    public EnclaveMarshallingException(string message)
        : base(message)
    {
    }
}
