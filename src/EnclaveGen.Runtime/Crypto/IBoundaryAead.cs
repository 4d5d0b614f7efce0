namespace EnclaveGen.Runtime.Crypto;

/// <summary>
/// The authenticated cipher that protects boundary messages: AES-256-GCM with a 96-bit nonce and
/// a 128-bit tag, keyed once. Behind an interface so the implementation can be swapped.
/// </summary>
/// <remarks>
/// Implementations may be used from several threads at once (per-call state lives on the stack)
/// and must not allocate per call. The plaintext and ciphertext spans may be the same memory (in-place), but must not otherwise overlap.
/// </remarks>
internal interface IBoundaryAead : IDisposable
{
    /// <summary>Encrypts <paramref name="plaintext"/> into <paramref name="ciphertext"/> (same length) and writes the tag.</summary>
    void Seal(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> plaintext, Span<byte> ciphertext, Span<byte> tag, ReadOnlySpan<byte> associatedData);

    /// <summary>
    /// Checks the tag and, only if it matches, decrypts <paramref name="ciphertext"/> into
    /// <paramref name="plaintext"/>. Returns <see langword="false"/> (and leaves
    /// <paramref name="plaintext"/> zeroed) when authentication fails.
    /// </summary>
    bool Open(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> tag, Span<byte> plaintext, ReadOnlySpan<byte> associatedData);
}
