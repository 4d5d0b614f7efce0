namespace EnclaveGen.Runtime.Crypto;

/// <summary>Builds the AES-256-GCM context that protects boundary messages, keyed once.</summary>
internal static class BoundaryAead
{
    /// <summary>Key length in bytes (AES-256).</summary>
    public const int KeySize = 32;

    /// <summary>Nonce length in bytes (96 bits, the GCM fast path).</summary>
    public const int NonceSize = 12;

    /// <summary>Tag length in bytes (128 bits).</summary>
    public const int TagSize = 16;

    /// <summary>The implementation <see cref="Create(ReadOnlySpan{byte})"/> picks on this machine.</summary>
    public static BoundaryAeadImplementation Fastest =>
        HardwareAesGcm.IsVector256Supported ? BoundaryAeadImplementation.HardwareVector256
        : HardwareAesGcm.IsSupported ? BoundaryAeadImplementation.HardwareVector128
        : BoundaryAeadImplementation.Platform;

    /// <summary>Whether <paramref name="implementation"/> can run on this machine.</summary>
    public static bool IsSupported(BoundaryAeadImplementation implementation) => implementation switch
    {
        BoundaryAeadImplementation.Fastest => HardwareAesGcm.IsSupported || PlatformAesGcm.IsSupported,
        BoundaryAeadImplementation.HardwareVector128 => HardwareAesGcm.IsSupported,
        BoundaryAeadImplementation.HardwareVector256 => HardwareAesGcm.IsVector256Supported,
        BoundaryAeadImplementation.Platform => PlatformAesGcm.IsSupported,
        _ => false,
    };

    /// <summary>Creates the fastest AES-256-GCM context available for <paramref name="key"/> (32 bytes).</summary>
    /// <exception cref="ArgumentException">The key is not 32 bytes.</exception>
    /// <exception cref="PlatformNotSupportedException">Neither AES-NI nor the platform's AES-GCM is available.</exception>
    public static IBoundaryAead Create(ReadOnlySpan<byte> key) => Create(key, BoundaryAeadImplementation.Fastest);

    /// <summary>Creates the named implementation; tests use this to exercise each one on the same machine.</summary>
    /// <exception cref="ArgumentException">The key is not 32 bytes.</exception>
    /// <exception cref="PlatformNotSupportedException">The implementation cannot run on this machine.</exception>
    public static IBoundaryAead Create(ReadOnlySpan<byte> key, BoundaryAeadImplementation implementation)
    {
        if (key.Length != KeySize)
        {
            throw new ArgumentException($"The boundary key must be {KeySize} bytes (AES-256); got {key.Length}.", nameof(key));
        }

        if (implementation == BoundaryAeadImplementation.Fastest)
        {
            implementation = Fastest;
        }

        if (!IsSupported(implementation))
        {
            throw new PlatformNotSupportedException(
                $"The boundary AEAD implementation {implementation} is not supported on this machine; use {nameof(BoundaryAeadImplementation.Fastest)}.");
        }

        return implementation switch
        {
            BoundaryAeadImplementation.HardwareVector128 => new HardwareAesGcm(key, useVector256: false),
            BoundaryAeadImplementation.HardwareVector256 => new HardwareAesGcm(key, useVector256: true),
            BoundaryAeadImplementation.Platform => new PlatformAesGcm(key),
            _ => throw new ArgumentOutOfRangeException(nameof(implementation), implementation, "Unknown boundary AEAD implementation."),
        };
    }

    /// <summary>Checks the arguments every implementation shares; throws <see cref="ArgumentException"/> naming the bad one.</summary>
    internal static void CheckArguments(
        ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> input, ReadOnlySpan<byte> output, ReadOnlySpan<byte> tag,
        string inputName, string outputName)
    {
        if (nonce.Length != NonceSize)
        {
            throw new ArgumentException($"The nonce must be {NonceSize} bytes (96 bits); got {nonce.Length}.", nameof(nonce));
        }

        if (tag.Length != TagSize)
        {
            throw new ArgumentException($"The tag must be {TagSize} bytes (128 bits); got {tag.Length}.", nameof(tag));
        }

        if (input.Length != output.Length)
        {
            throw new ArgumentException(
                $"The {outputName} must be as long as the {inputName}: {input.Length} bytes expected, got {output.Length}.", outputName);
        }

        if (input.Overlaps(output, out int offset) && offset != 0)
        {
            throw new ArgumentException(
                $"The {inputName} and {outputName} overlap at an offset of {offset} bytes; they must be the same memory (in place) or not overlap at all.", outputName);
        }
    }
}
