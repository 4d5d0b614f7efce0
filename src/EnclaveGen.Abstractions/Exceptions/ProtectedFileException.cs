namespace EnclaveGen;

/// <summary>
/// A protected file could not be opened, read or written. <see cref="Reason"/> says why; a
/// rollback (<see cref="ProtectedFileFailure.RolledBack"/>) is reported apart from tampering
/// (<see cref="ProtectedFileFailure.Tampered"/>). The message names the file, the values that
/// differ and what to do.
/// </summary>
public sealed class ProtectedFileException : EnclaveException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What happened, the values that differ and what to do.</param>
    /// <param name="reason">Why the operation failed.</param>
    /// <param name="fileName">The protected file's name.</param>
    /// <param name="expected">The value the file or the enclave requires, when the failure is a mismatch.</param>
    /// <param name="actual">The value found, when the failure is a mismatch.</param>
    /// <param name="innerException">The error that caused it (a sealing or host storage error), if any.</param>
    public ProtectedFileException(string message, ProtectedFileFailure reason, string fileName, string? expected = null, string? actual = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Reason = reason;
        FileName = fileName;
        Expected = expected;
        Actual = actual;
        SealingReason = (innerException as EnclaveSealingException)?.Reason;
    }

    /// <summary>Why the operation failed.</summary>
    public ProtectedFileFailure Reason { get; }

    /// <summary>The protected file's name.</summary>
    public string FileName { get; }

    /// <summary>The value the file or the enclave requires, when the failure is a mismatch.</summary>
    public string? Expected { get; }

    /// <summary>The value found, when the failure is a mismatch.</summary>
    public string? Actual { get; }

    /// <summary>For <see cref="ProtectedFileFailure.AccessDenied"/>: the sealing check that failed on the file's header.</summary>
    public SealingFailure? SealingReason { get; }
}
