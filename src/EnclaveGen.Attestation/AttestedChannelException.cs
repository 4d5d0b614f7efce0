namespace EnclaveGen.Attestation;

/// <summary>
/// An attested-channel record was rejected (tampered, replayed, reordered, truncated, or received
/// after the channel failed or closed), or the handshake could not be completed.
/// </summary>
public sealed class AttestedChannelException : AttestationException
{
    /// <summary>Creates the exception naming the failed check.</summary>
    /// <param name="check">A stable identifier such as <c>channel.sequence</c>.</param>
    /// <param name="message">What failed and what was expected.</param>
    public AttestedChannelException(string check, string message)
        : base(check, $"{check}: {message}", null)
    {
    }
}
