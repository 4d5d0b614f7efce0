namespace EnclaveGen;

/// <summary>
/// Plays the untrusted host's part at the boundary: sees every sealed message in the memory the
/// host controls and may replace it, as a hostile host could. Use it to show what crosses (only
/// ciphertext) and to test that tampering, truncation and replay are caught.
/// </summary>
/// <remarks>
/// Set through <see cref="EnclaveOptions.Interceptor"/>. Called on the calling thread for each
/// message; keep it cheap. Any replacement that is not the original message halts the enclave,
/// except a change inside a message's pass-through part (protected files' bytes, already AES-GCM
/// ciphertext, docs/wire-format.md), which the file refuses as tampering instead.
/// </remarks>
public abstract class BoundaryInterceptor
{
    /// <summary>Called for each sealed message before its receiver opens it.</summary>
    /// <returns><see langword="null"/> to deliver the message unchanged, or the bytes to deliver instead.</returns>
    public abstract byte[]? OnMessage(BoundaryMessage message);
}
