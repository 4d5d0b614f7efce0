using System.Buffers.Binary;
using System.Globalization;

namespace EnclaveGen.Runtime.Sealing;

/// <summary>
/// The readable header of a sealed blob (format in docs/sealing.md): everything but the
/// ciphertext and the tag. Reading it needs no key, so tools can show it without opening the blob.
/// </summary>
public sealed class SealedBlobHeader
{
    /// <summary>The format version this runtime writes for blobs not bound to a counter (it reads versions 1 and 2).</summary>
    public const byte CurrentVersion = 1;

    /// <summary>The format version of blobs bound to a monotonic counter: version 1's header followed by the counter's ID and value.</summary>
    public const byte CounterBoundVersion = 2;

    /// <summary>Length of a version 1 header in bytes.</summary>
    public const int Length = 108;

    /// <summary>Length of a version 2 (counter-bound) header in bytes.</summary>
    public const int CounterBoundLength = Length + CounterIdLength + 8;

    /// <summary>Length of a counter ID in a version 2 header.</summary>
    public const int CounterIdLength = 32;

    /// <summary>Length of the AES-GCM tag that follows the ciphertext.</summary>
    public const int TagLength = 16;

    /// <summary>Length of the random key ID.</summary>
    public const int KeyIdLength = 32;

    /// <summary>Length of the AES-GCM nonce.</summary>
    public const int NonceLength = 12;

    /// <summary>Length of the platform fingerprint.</summary>
    public const int PlatformIdLength = 16;

    /// <summary>The flags bit set when a debug enclave sealed the blob.</summary>
    internal const byte DebugFlag = 1;

    internal static ReadOnlySpan<byte> Magic => "EGSB"u8;

    internal SealedBlobHeader(byte version, SealingPolicy policy, bool sealedByDebugEnclave, byte[] platformId, EnclaveHash identity, ushort productId, ushort securityVersion, byte[] keyId, byte[] nonce, int ciphertextLength, byte[]? counterId = null, ulong counterValue = 0)
    {
        CounterIdBytes = counterId;
        CounterValue = counterId is null ? null : counterValue;
        Version = version;
        Policy = policy;
        SealedByDebugEnclave = sealedByDebugEnclave;
        PlatformId = platformId;
        Identity = identity;
        ProductId = productId;
        SecurityVersion = securityVersion;
        KeyId = keyId;
        Nonce = nonce;
        CiphertextLength = ciphertextLength;
    }

    /// <summary>The format version.</summary>
    public byte Version { get; }

    /// <summary>The policy the blob was sealed under.</summary>
    public SealingPolicy Policy { get; }

    /// <summary>True when a debug enclave sealed the blob (only debug enclaves can open it).</summary>
    public bool SealedByDebugEnclave { get; }

    /// <summary>The fingerprint of the platform that sealed it (16 bytes).</summary>
    public byte[] PlatformId { get; }

    /// <summary>MRENCLAVE (policy <see cref="SealingPolicy.MrEnclave"/>) or MRSIGNER (<see cref="SealingPolicy.MrSigner"/>) of the sealer.</summary>
    public EnclaveHash Identity { get; }

    /// <summary>The sealer's product ID.</summary>
    public ushort ProductId { get; }

    /// <summary>The security version (SVN) the blob was sealed at: enclaves at this SVN or higher can open it.</summary>
    public ushort SecurityVersion { get; }

    /// <summary>The random key ID (32 bytes) that makes every blob's key unique.</summary>
    public byte[] KeyId { get; }

    /// <summary>The AES-GCM nonce (12 bytes).</summary>
    public byte[] Nonce { get; }

    /// <summary>The length of the sealed data (ciphertext) in bytes.</summary>
    public int CiphertextLength { get; }

    /// <summary>The length of the whole blob: header, ciphertext and tag.</summary>
    public int TotalLength => HeaderLength + CiphertextLength + TagLength;

    /// <summary>The length of this blob's header: <see cref="Length"/>, or <see cref="CounterBoundLength"/> for a counter-bound blob.</summary>
    public int HeaderLength => CounterIdBytes is null ? Length : CounterBoundLength;

    /// <summary>For a blob bound to a monotonic counter (version 2): the counter's platform-wide ID, 64 hex digits; otherwise null.</summary>
    public string? CounterId => CounterIdBytes is null ? null : Convert.ToHexStringLower(CounterIdBytes);

    /// <summary>For a blob bound to a monotonic counter: the counter's value when it was sealed; otherwise null.</summary>
    public ulong? CounterValue { get; }

    internal byte[]? CounterIdBytes { get; }

    /// <summary>The policy as printed in messages: MRENCLAVE or MRSIGNER.</summary>
    public string PolicyName => Name(Policy);

    internal static string Name(SealingPolicy policy) => policy == SealingPolicy.MrEnclave ? "MRENCLAVE" : "MRSIGNER";

    /// <summary>Reads and checks the header of <paramref name="blob"/> (not the tag: that needs the key).</summary>
    /// <exception cref="EnclaveSealingException">The blob is empty, truncated, not sealed data, of an unknown version, or has a malformed field.</exception>
    public static SealedBlobHeader Read(ReadOnlySpan<byte> blob)
    {
        if (blob.IsEmpty)
        {
            throw new EnclaveSealingException("Cannot unseal: the sealed blob is empty (0 bytes). The data was never written, or was lost in storage.", SealingFailure.Empty);
        }

        int magicBytes = Math.Min(blob.Length, Magic.Length);
        if (!blob[..magicBytes].SequenceEqual(Magic[..magicBytes]))
        {
            throw new EnclaveSealingException($"Cannot unseal: these {blob.Length} bytes are not EnclaveGen sealed data (they do not start with \"EGSB\").", SealingFailure.NotSealedData);
        }

        int minimum = Length + TagLength;
        if (blob.Length < minimum)
        {
            throw new EnclaveSealingException(
                string.Create(CultureInfo.InvariantCulture, $"Cannot unseal: the sealed blob is truncated: {blob.Length} bytes, but a header and tag alone take {minimum}. It was cut off in storage or transfer."),
                SealingFailure.Truncated,
                expected: string.Create(CultureInfo.InvariantCulture, $"at least {minimum} bytes"),
                actual: string.Create(CultureInfo.InvariantCulture, $"{blob.Length} bytes"));
        }

        byte version = blob[4];
        if (version is not (CurrentVersion or CounterBoundVersion))
        {
            throw new EnclaveSealingException(
                string.Create(CultureInfo.InvariantCulture, $"Cannot unseal: sealed blob format version {version}; this runtime reads versions {CurrentVersion} and {CounterBoundVersion}. Open it with the EnclaveGen version that sealed it."),
                SealingFailure.UnsupportedVersion,
                expected: string.Create(CultureInfo.InvariantCulture, $"{CurrentVersion} or {CounterBoundVersion}"),
                actual: version.ToString(CultureInfo.InvariantCulture));
        }

        int headerLength = version == CounterBoundVersion ? CounterBoundLength : Length;
        if (blob.Length < headerLength + TagLength)
        {
            throw new EnclaveSealingException(
                string.Create(CultureInfo.InvariantCulture, $"Cannot unseal: the counter-bound sealed blob is truncated: {blob.Length} bytes, but its header and tag alone take {headerLength + TagLength}. It was cut off in storage or transfer."),
                SealingFailure.Truncated,
                expected: string.Create(CultureInfo.InvariantCulture, $"at least {headerLength + TagLength} bytes"),
                actual: string.Create(CultureInfo.InvariantCulture, $"{blob.Length} bytes"));
        }

        SealingPolicy policy = blob[5] switch
        {
            1 => SealingPolicy.MrEnclave,
            2 => SealingPolicy.MrSigner,
            byte other => throw new EnclaveSealingException(
                string.Create(CultureInfo.InvariantCulture, $"Cannot unseal: the sealed blob names policy {other}, which no sealer writes (1 = MRENCLAVE, 2 = MRSIGNER). The blob was modified."),
                SealingFailure.Malformed),
        };

        byte flags = blob[6];
        if ((flags & ~DebugFlag) != 0 || blob[7] != 0)
        {
            throw new EnclaveSealingException(
                string.Create(CultureInfo.InvariantCulture, $"Cannot unseal: the sealed blob (policy {Name(policy)}) has reserved header bits set (flags 0x{flags:x2}, reserved 0x{blob[7]:x2}). The blob was modified."),
                SealingFailure.Malformed,
                policy);
        }

        uint ciphertextLength = BinaryPrimitives.ReadUInt32LittleEndian(blob[104..]);
        long expectedLength = headerLength + (long)ciphertextLength + TagLength;
        if (expectedLength > blob.Length)
        {
            throw new EnclaveSealingException(
                string.Create(CultureInfo.InvariantCulture, $"Cannot unseal: the sealed blob (policy {Name(policy)}) is truncated: its header announces {expectedLength} bytes, but there are {blob.Length}. It was cut off in storage or transfer."),
                SealingFailure.Truncated,
                policy,
                expected: string.Create(CultureInfo.InvariantCulture, $"{expectedLength} bytes"),
                actual: string.Create(CultureInfo.InvariantCulture, $"{blob.Length} bytes"));
        }

        if (expectedLength < blob.Length)
        {
            throw new EnclaveSealingException(
                string.Create(CultureInfo.InvariantCulture, $"Cannot unseal: the sealed blob (policy {Name(policy)}) has {blob.Length - expectedLength} bytes after its end (its header announces {expectedLength} bytes). Store and pass each blob exactly as Seal returned it."),
                SealingFailure.Malformed,
                policy,
                expected: string.Create(CultureInfo.InvariantCulture, $"{expectedLength} bytes"),
                actual: string.Create(CultureInfo.InvariantCulture, $"{blob.Length} bytes"));
        }

        return new SealedBlobHeader(
            version,
            policy,
            (flags & DebugFlag) != 0,
            blob.Slice(8, PlatformIdLength).ToArray(),
            EnclaveHash.FromBytes(blob.Slice(24, EnclaveHash.Length)),
            BinaryPrimitives.ReadUInt16LittleEndian(blob[56..]),
            BinaryPrimitives.ReadUInt16LittleEndian(blob[58..]),
            blob.Slice(60, KeyIdLength).ToArray(),
            blob.Slice(92, NonceLength).ToArray(),
            (int)ciphertextLength,
            version == CounterBoundVersion ? blob.Slice(Length, CounterIdLength).ToArray() : null,
            version == CounterBoundVersion ? BinaryPrimitives.ReadUInt64LittleEndian(blob[(Length + CounterIdLength)..]) : 0);
    }

    /// <summary>Writes the header into the first <see cref="Length"/> bytes of <paramref name="destination"/>.</summary>
    internal void Write(Span<byte> destination)
    {
        Magic.CopyTo(destination);
        destination[4] = Version;
        destination[5] = (byte)Policy;
        destination[6] = SealedByDebugEnclave ? DebugFlag : (byte)0;
        destination[7] = 0;
        PlatformId.CopyTo(destination[8..]);
        Identity.AsSpan().CopyTo(destination[24..]);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[56..], ProductId);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[58..], SecurityVersion);
        KeyId.CopyTo(destination[60..]);
        Nonce.CopyTo(destination[92..]);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[104..], (uint)CiphertextLength);
        if (CounterIdBytes is { } counterId)
        {
            counterId.CopyTo(destination[Length..]);
            BinaryPrimitives.WriteUInt64LittleEndian(destination[(Length + CounterIdLength)..], CounterValue ?? 0);
        }
    }
}
