using System.Security.Cryptography;

namespace EnclaveGen.Runtime.Crypto;

/// <summary>
/// AES-256-GCM through .NET's <see cref="AesGcm"/> (OpenSSL on Linux). The runtime keeps one
/// instance per thread slot and side, so each instance is only used by one thread at a time.
/// </summary>
internal sealed class SystemAesGcmAead : IBoundaryAead
{
    private readonly AesGcm _aes;

    public SystemAesGcmAead(ReadOnlySpan<byte> key) => _aes = new AesGcm(key, tagSizeInBytes: 16);

    public void Seal(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> plaintext, Span<byte> ciphertext, Span<byte> tag, ReadOnlySpan<byte> associatedData) =>
        _aes.Encrypt(nonce, plaintext, ciphertext, tag, associatedData);

    public bool Open(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> tag, Span<byte> plaintext, ReadOnlySpan<byte> associatedData)
    {
        try
        {
            _aes.Decrypt(nonce, ciphertext, tag, plaintext, associatedData);
            return true;
        }
        catch (AuthenticationTagMismatchException)
        {
            return false;
        }
    }

    public void Dispose() => _aes.Dispose();
}
