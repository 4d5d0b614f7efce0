using System.Runtime.Intrinsics;

namespace EnclaveGen.Runtime.Crypto;

/// <summary>
/// A boundary AEAD that also seals a message whose plaintext is written in pieces and opens one
/// whose plaintext is read in pieces. Large values then go from the sender's own memory into the
/// message, and from the message into the receiver's new array, in one pass each way, with no
/// staging copy (docs/performance.md). The result is the same AES-256-GCM message a one-shot
/// <see cref="IBoundaryAead.Seal"/> makes.
/// </summary>
/// <remarks>
/// Opening in pieces authenticates first: <see cref="Verify"/> checks the tag over the whole
/// ciphertext, and only then does the caller decrypt the parts it reads with
/// <see cref="DecryptAt"/>. The ciphertext must stay unchanged in between, so callers use it only
/// from memory the other side can no longer write (the isolated transport's private copy).
/// </remarks>
internal interface ISegmentedAead : IBoundaryAead
{
    /// <summary>Starts sealing a message under <paramref name="nonce"/>; the associated data comes with the last piece.</summary>
    SealProgress BeginSeal(ReadOnlySpan<byte> nonce);

    /// <summary>
    /// Encrypts the next <paramref name="plaintext"/> (whole 16-byte blocks) into
    /// <paramref name="ciphertext"/>, which is the same memory or does not overlap it.
    /// </summary>
    void SealBlocks(ref SealProgress progress, ReadOnlySpan<byte> plaintext, Span<byte> ciphertext);

    /// <summary>Encrypts the last <paramref name="plaintext"/> (any length), then writes the tag over the associated data and the whole ciphertext.</summary>
    void FinishSeal(ref SealProgress progress, ReadOnlySpan<byte> plaintext, Span<byte> ciphertext, ReadOnlySpan<byte> associatedData, Span<byte> tag);

    /// <summary>Whether <paramref name="tag"/> authenticates the message, without decrypting anything.</summary>
    bool Verify(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> tag, ReadOnlySpan<byte> associatedData);

    /// <summary>
    /// Decrypts <paramref name="ciphertext"/>, which starts <paramref name="offset"/> bytes into the
    /// payload of a message sealed under <paramref name="nonce"/>, into <paramref name="plaintext"/>.
    /// No authentication: call it only for a message <see cref="Verify"/> accepted.
    /// </summary>
    void DecryptAt(ReadOnlySpan<byte> nonce, long offset, ReadOnlySpan<byte> ciphertext, Span<byte> plaintext);
}

/// <summary>How far a message sealed in pieces has come: its counter block, the running GHASH of its ciphertext, and its length so far.</summary>
internal struct SealProgress
{
    /// <summary>J0, byte-reversed (<see cref="HardwareAesGcm"/>'s counter representation).</summary>
    internal Vector128<uint> Counter;

    /// <summary>GHASH of the ciphertext sealed so far, without the associated data.</summary>
    internal Vector128<ulong> Hash;

    /// <summary>Payload bytes sealed so far; a multiple of 16 until the last piece.</summary>
    internal long Length;
}
