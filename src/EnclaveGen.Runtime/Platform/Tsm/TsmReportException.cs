namespace EnclaveGen;

/// <summary>Why the configfs TSM report interface gave no usable evidence.</summary>
public enum TsmReportFailure
{
    /// <summary>There is no TSM report interface, or no provider behind it: not a confidential VM, or a kernel older than 6.7.</summary>
    Unavailable,

    /// <summary>The provider is neither <c>sev_guest</c> nor <c>tdx_guest</c>, whose output formats this runtime reads.</summary>
    UnknownProvider,

    /// <summary>Another writer changed the report entry while it was in use (its <c>generation</c> moved by more than this request's writes), on every attempt.</summary>
    ConcurrentWriter,

    /// <summary>The kernel's output is not the provider's format: truncated, oversized or malformed.</summary>
    MalformedOutput,

    /// <summary>The evidence does not bind the report data that was written to <c>inblob</c>.</summary>
    ReportDataMismatch,

    /// <summary>The kernel refused a request (an errno other than those above); the message names it.</summary>
    KernelError,
}

/// <summary>The configfs TSM report interface (<c>/sys/kernel/config/tsm/report</c>) gave no usable evidence; <see cref="Reason"/> says why.</summary>
public sealed class TsmReportException : EnclaveException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What happened and what to do.</param>
    /// <param name="reason">Why the request failed.</param>
    /// <param name="innerException">The error that caused it, if any.</param>
    public TsmReportException(string message, TsmReportFailure reason, Exception? innerException = null)
        : base(message, innerException)
    {
        Reason = reason;
    }

    /// <summary>Why the request failed.</summary>
    public TsmReportFailure Reason { get; }
}
