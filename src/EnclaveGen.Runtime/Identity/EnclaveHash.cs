using System.Security.Cryptography;

namespace EnclaveGen;

/// <summary>
/// A 32-byte SHA-256 value that names an enclave identity: MRENCLAVE (what code runs) or MRSIGNER
/// (who signed it). Printed as 64 lowercase hex digits.
/// </summary>
public readonly struct EnclaveHash : IEquatable<EnclaveHash>
{
    /// <summary>The length of the value in bytes.</summary>
    public const int Length = 32;

    private static readonly byte[] s_zero = new byte[Length];

    private readonly byte[]? _bytes;

    private EnclaveHash(byte[] bytes) => _bytes = bytes;

    /// <summary>The all-zero value, which the runtime uses for "no signer" (an unsigned image).</summary>
    public static EnclaveHash Zero => new(s_zero);

    /// <summary>True when every byte is zero.</summary>
    public bool IsZero => AsSpan().IndexOfAnyExcept((byte)0) < 0;

    /// <summary>Copies 32 bytes into a new value.</summary>
    /// <exception cref="ArgumentException">The span is not 32 bytes long.</exception>
    public static EnclaveHash FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Length)
        {
            throw new ArgumentException($"An enclave hash is {Length} bytes; got {bytes.Length}.", nameof(bytes));
        }

        return new EnclaveHash(bytes.ToArray());
    }

    /// <summary>SHA-256 of <paramref name="data"/>.</summary>
    public static EnclaveHash Compute(ReadOnlySpan<byte> data) => new(SHA256.HashData(data));

    /// <summary>Parses 64 hex digits (either case).</summary>
    /// <exception cref="FormatException">The text is not 64 hex digits.</exception>
    public static EnclaveHash Parse(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        if (!TryParse(hex, out EnclaveHash value))
        {
            throw new FormatException($"An enclave hash is {Length * 2} hex digits; got '{hex}'.");
        }

        return value;
    }

    /// <summary>Parses 64 hex digits (either case); false for anything else.</summary>
    public static bool TryParse(string? hex, out EnclaveHash value)
    {
        value = default;
        if (hex is null || hex.Length != Length * 2)
        {
            return false;
        }

        byte[] bytes = new byte[Length];
        if (Convert.FromHexString(hex, bytes, out _, out int written) != System.Buffers.OperationStatus.Done || written != Length)
        {
            return false;
        }

        value = new EnclaveHash(bytes);
        return true;
    }

    /// <summary>The 32 bytes (a default value reads as all zero).</summary>
    public ReadOnlySpan<byte> AsSpan() => _bytes ?? s_zero;

    /// <summary>A copy of the 32 bytes.</summary>
    public byte[] ToArray() => AsSpan().ToArray();

    /// <summary>64 lowercase hex digits.</summary>
    public override string ToString() => Convert.ToHexStringLower(AsSpan());

    /// <inheritdoc />
    public bool Equals(EnclaveHash other) => AsSpan().SequenceEqual(other.AsSpan());

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is EnclaveHash other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => BitConverter.ToInt32(AsSpan());

    /// <summary>Compares two values byte by byte.</summary>
    public static bool operator ==(EnclaveHash left, EnclaveHash right) => left.Equals(right);

    /// <summary>Compares two values byte by byte.</summary>
    public static bool operator !=(EnclaveHash left, EnclaveHash right) => !left.Equals(right);
}
