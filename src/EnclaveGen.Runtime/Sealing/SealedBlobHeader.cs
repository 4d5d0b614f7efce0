using System.Buffers.Binary;
using System.Globalization;

namespace EnclaveGen.Runtime.Sealing;

/// <summary>
/// The readable header of a sealed blob (format in docs/sealing.md): everything but the
/// ciphertext and the tag. Reading it needs no key, so tools can show it without opening the blob.
/// </summary>
public sealed class SealedBlobHeader
{
    /// <summary>The format version this runtime writes and reads.</summary>
    public const byte CurrentVersion = 1;

    /// <summary>Length of the header in bytes.</summary>
    public const int Length = 108;

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

    internal SealedBlobHeader(byte version, SealingPolicy policy, bool sealedByDebugEnclave, byte[] platformId, EnclaveHash identity, ushort productId, ushort securityVersion, byte[] keyId, byte[] nonce, int ciphertextLength)
    {
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
    public int TotalLength => Length + CiphertextLength + TagLength;

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

        const int Minimum = Length + TagLength;
        if (blob.Length < Minimum)
        {
            throw new EnclaveSealingException(
                string.Create(CultureInfo.InvariantCulture, $"Cannot unseal: the sealed blob is truncated: {blob.Length} bytes, but a header and tag alone take {Minimum}. It was cut off in storage or transfer."),
                SealingFailure.Truncated,
                expected: string.Create(CultureInfo.InvariantCulture, $"at least {Minimum} bytes"),
                actual: string.Create(CultureInfo.InvariantCulture, $"{blob.Length} bytes"));
        }

        byte version = blob[4];
        if (version != CurrentVersion)
        {
            throw new EnclaveSealingException(
                string.Create(CultureInfo.InvariantCulture, $"Cannot unseal: sealed blob format version {version}; this runtime reads version {CurrentVersion}. Open it with the EnclaveGen version that sealed it."),
                SealingFailure.UnsupportedVersion,
                expected: CurrentVersion.ToString(CultureInfo.InvariantCulture),
                actual: version.ToString(CultureInfo.InvariantCulture));
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
        long expectedLength = Length + (long)ciphertextLength + TagLength;
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
            (int)ciphertextLength);
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
    }
}
