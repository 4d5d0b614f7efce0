namespace EnclaveGen;

/// <summary>
/// Sealing or unsealing failed. <see cref="Reason"/> says why, <see cref="Policy"/> names the
/// policy the blob was sealed under (when the header could be read), and
/// <see cref="Expected"/> / <see cref="Actual"/> name the values that differ.
/// </summary>
public sealed class EnclaveSealingException : EnclaveException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What happened, the values that differ and what to do.</param>
    /// <param name="reason">Why the blob could not be opened.</param>
    /// <param name="policy">The policy recorded in the blob, or <see langword="null"/> if the header was unreadable.</param>
    /// <param name="expected">The value the blob requires (for example the MRENCLAVE it was sealed to).</param>
    /// <param name="actual">The value this enclave or platform has.</param>
    public EnclaveSealingException(string message, SealingFailure reason, SealingPolicy? policy = null, string? expected = null, string? actual = null)
        : base(message)
    {
        Reason = reason;
        Policy = policy;
        Expected = expected;
        Actual = actual;
    }

    /// <summary>Why the blob could not be opened.</summary>
    public SealingFailure Reason { get; }

    /// <summary>The policy recorded in the blob, or <see langword="null"/> if the header was unreadable.</summary>
    public SealingPolicy? Policy { get; }

    /// <summary>The value the blob requires, when the failure is a mismatch.</summary>
    public string? Expected { get; }

    /// <summary>The value this enclave or platform has, when the failure is a mismatch.</summary>
    public string? Actual { get; }
}
