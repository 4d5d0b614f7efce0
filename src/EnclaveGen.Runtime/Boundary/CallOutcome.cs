using EnclaveGen.Attestation;
using EnclaveGen.Runtime.Wire;

namespace EnclaveGen.Runtime.Boundary;

/// <summary>
/// How a crossing ends, written by the side that served it and read by the side that made it: one
/// place for the payloads of faults, rejections and refusals (docs/wire-format.md, "Kinds and
/// payloads"), shared by ECALLs (the enclave writes, the host reads) and OCALLs (the other way).
/// What each side may reveal and which exception its caller sees are the boundary's asymmetry, so
/// they stay with each side: a <see cref="Disclosure"/> going out, the side's own exceptions coming in.
/// </summary>
internal static class CallOutcome
{
    /// <summary>
    /// Records that serving a call failed with <paramref name="exception"/>: a rejection when the
    /// arguments were not decoded completely (the caller sent something malformed), a fault when
    /// the method itself threw. Returns the kind to seal <paramref name="output"/> with.
    /// </summary>
    public static MessageKind RecordFailure(WireWriter output, Exception exception, bool argumentsDecoded, CrossingKinds kinds, Disclosure disclosure)
    {
        output.Reset();
        if (!argumentsDecoded)
        {
            output.WriteString(disclosure.AnyRejectionMessage || exception is EnclaveMarshallingException ? exception.Message : exception.GetType().FullName);
            return kinds.Rejected;
        }

        output.WriteString(exception.GetType().FullName);
        output.WriteString(disclosure.FaultMessage ? FaultText(exception) : null);
        return kinds.Fault;
    }

    // A fault's message on one line (no stack trace a library put into it), with the messages of
    // inner exceptions: some say why only there (an assembly the enclave's load context refused is
    // wrapped in a generic load failure).
    private static string FaultText(Exception exception)
    {
        string message = ErrorText.Message(exception);
        for (Exception? inner = exception.InnerException; inner is not null; inner = inner.InnerException)
        {
            string innerMessage = ErrorText.Message(inner);
            if (!message.Contains(innerMessage, StringComparison.Ordinal))
            {
                message += " Inner: " + innerMessage;
            }
        }

        return message;
    }

    /// <summary>
    /// Reads how a crossing of <paramref name="kinds"/> ended. For a fault, <paramref name="typeName"/>
    /// and <paramref name="message"/> are what the other side wrote; for a rejection or a refusal,
    /// <paramref name="message"/> is its reason (null for a refusal without one).
    /// </summary>
    public static Ending Read(MessageKind kind, WireReader results, CrossingKinds kinds, out string typeName, out string? message)
    {
        typeName = string.Empty;
        message = null;
        if (kind == kinds.Result)
        {
            return Ending.Returned;
        }

        if (kind == kinds.Fault)
        {
            typeName = results.ReadString() ?? "System.Exception";
            message = results.ReadString();
            return Ending.Faulted;
        }

        if (kind == kinds.Rejected)
        {
            message = results.ReadString();
            return Ending.Rejected;
        }

        if (kind == kinds.Refused)
        {
            message = kinds.RefusalHasReason ? results.ReadString() : null;
            return Ending.Refused;
        }

        return Ending.Unexpected;
    }
}

/// <summary>How a crossing ended.</summary>
internal enum Ending
{
    /// <summary>The method returned; its results follow.</summary>
    Returned,

    /// <summary>The method threw.</summary>
    Faulted,

    /// <summary>The serving side refused the arguments as malformed.</summary>
    Rejected,

    /// <summary>The serving side refused the call itself (a private ECALL at the wrong time, a cancelled ECALL's OCALL).</summary>
    Refused,

    /// <summary>A message kind that does not end this kind of crossing: an integrity violation.</summary>
    Unexpected,
}

/// <summary>The message kinds of one kind of crossing: its request and the ways it can end.</summary>
/// <param name="Name">"ECALL" or "OCALL", for messages.</param>
/// <param name="Request">What starts the crossing.</param>
/// <param name="Result">The method returned.</param>
/// <param name="Fault">The method threw.</param>
/// <param name="Rejected">The arguments were malformed.</param>
/// <param name="Refused">The call was refused before it ran.</param>
/// <param name="RefusalHasReason">Whether <paramref name="Refused"/> carries a reason string.</param>
internal readonly record struct CrossingKinds(
    string Name, MessageKind Request, MessageKind Result, MessageKind Fault, MessageKind Rejected, MessageKind Refused, bool RefusalHasReason)
{
    public static CrossingKinds Ecall { get; } = new(
        "ECALL", MessageKind.EcallRequest, MessageKind.EcallResult, MessageKind.EcallFault, MessageKind.EcallRejected, MessageKind.EcallDenied, RefusalHasReason: true);

    public static CrossingKinds Ocall { get; } = new(
        "OCALL", MessageKind.OcallRequest, MessageKind.OcallResult, MessageKind.OcallFault, MessageKind.OcallRejected, MessageKind.OcallCancelled, RefusalHasReason: false);
}

/// <summary>What a side may write into the outcome of a call that failed.</summary>
/// <param name="AnyRejectionMessage">Send the message of any exception thrown while the arguments were decoded, not only the decoder's own.</param>
/// <param name="FaultMessage">Send the message of the exception the method threw, not only its type.</param>
internal readonly record struct Disclosure(bool AnyRejectionMessage, bool FaultMessage)
{
    /// <summary>The host: its exceptions hold host data, which the enclave may read.</summary>
    public static Disclosure Host { get; } = new(AnyRejectionMessage: true, FaultMessage: true);

    /// <summary>
    /// The enclave: only the decoder's words about host input (a constructor of trusted code that
    /// threw while a value was rebuilt may have put a secret in its message), and trusted code's
    /// messages only in debug enclaves.
    /// </summary>
    public static Disclosure Enclave(bool debug) => new(AnyRejectionMessage: false, FaultMessage: debug);
}
