using System.Text;
using EnclaveGen.Attestation;

namespace EnclaveGen.Runtime.Transport.Isolated;

/// <summary>
/// Carries an exception that ended a crossing on one side to the other, where in-process it would
/// simply have propagated: the runtime's own errors (integrity, halt, nesting, call context) keep
/// their type, anything else becomes an <see cref="EnclaveException"/> naming the original type.
/// </summary>
internal static class RingFault
{
    private const int Integrity = 1;
    private const int Halted = 2;
    private const int Marshalling = 3;
    private const int CallContext = 4;
    private const int Lost = 5;
    private const int Other = 9;

    /// <summary>Writes the fault into <paramref name="window"/>; returns the byte count.</summary>
    public static int Encode(Exception exception, Span<byte> window)
    {
        int code = exception switch
        {
            EnclaveIntegrityException => Integrity,
            EnclaveHaltedException => Halted,
            EnclaveMarshallingException => Marshalling,
            EnclaveCallContextException => CallContext,
            EnclaveLostException => Lost,
            _ => Other,
        };
        string text = code == Other ? $"{exception.GetType().FullName}: {ErrorText.Message(exception)}" : exception.Message;
        window[0] = (byte)code;

        // At most 3 bytes of UTF-8 per UTF-16 code unit: 2,000 units always fit the window.
        ReadOnlySpan<char> kept = text.AsSpan(0, Math.Min(text.Length, 2_000));
        return Encoding.UTF8.GetBytes(kept, window.Slice(1)) + 1;
    }

    /// <summary>Rebuilds the exception from a fault frame's bytes (already copied out of shared memory).</summary>
    public static EnclaveException Decode(ReadOnlySpan<byte> fault)
    {
        if (fault.Length < 1)
        {
            return new EnclaveIntegrityException("Boundary integrity violation: an empty fault frame arrived. The enclave has halted and refuses further calls.");
        }

        string message = Encoding.UTF8.GetString(fault.Slice(1));
        return fault[0] switch
        {
            Integrity => new EnclaveIntegrityException(message),
            Halted => new EnclaveHaltedException(message),
            Marshalling => new EnclaveMarshallingException(message),
            CallContext => new EnclaveCallContextException(message),
            Lost => new EnclaveLostException(message),
            _ => new EnclaveException(message),
        };
    }
}
