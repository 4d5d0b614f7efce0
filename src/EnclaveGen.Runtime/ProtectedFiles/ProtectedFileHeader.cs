using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using EnclaveGen.Runtime.Sealing;

namespace EnclaveGen.Runtime.ProtectedFiles;

/// <summary>
/// Node 0 of a protected file: a 12-byte readable prefix, then the metadata sealed (docs/sealing.md)
/// under the file's policy, with the prefix as part of the sealing's additional data, then zeros.
/// </summary>
internal static class ProtectedFileHeader
{
    public const byte Version = 1;
    public const byte CounterBoundFlag = 1;
    private const int PrefixLength = 12;

    private static ReadOnlySpan<byte> Magic => "EGPF"u8;

    private static ReadOnlySpan<byte> SealingLabel => "EnclaveGen protected file header v1"u8;

    public static void Write(Span<byte> block, ProtectedFileMetadata metadata, SealingPolicy policy, SealingService sealing)
    {
        block.Clear();
        Magic.CopyTo(block);
        block[4] = Version;
        block[5] = metadata.CounterId is null ? (byte)0 : CounterBoundFlag;
        byte[] plain = metadata.Encode();
        try
        {
            byte[] sealedMetadata = sealing.Seal(plain, policy, AdditionalData(block));
            BinaryPrimitives.WriteUInt32LittleEndian(block[8..], (uint)sealedMetadata.Length);
            sealedMetadata.CopyTo(block[PrefixLength..]);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain);
        }
    }

    /// <summary>Reads and authenticates the header of the file the enclave asked for as <paramref name="name"/>.</summary>
    public static ProtectedFileMetadata Read(ReadOnlySpan<byte> block, string name, SealingPolicy requestedPolicy, SealingService sealing)
    {
        if (!block[..4].SequenceEqual(Magic))
        {
            throw new ProtectedFileException(
                $"Protected file '{name}': the host's bytes are not a protected file (they do not start with \"EGPF\"). The host replaced it, or it was never written by EnclaveGen.",
                ProtectedFileFailure.NotProtectedFile,
                name);
        }

        if (block[4] != Version)
        {
            throw new ProtectedFileException(
                string.Create(CultureInfo.InvariantCulture, $"Protected file '{name}' has format version {block[4]}; this runtime reads version {Version}. Open it with the EnclaveGen version that wrote it."),
                ProtectedFileFailure.UnsupportedVersion,
                name,
                expected: Version.ToString(CultureInfo.InvariantCulture),
                actual: block[4].ToString(CultureInfo.InvariantCulture));
        }

        uint sealedLength = BinaryPrimitives.ReadUInt32LittleEndian(block[8..]);
        if ((block[5] & ~CounterBoundFlag) != 0 || block[6] != 0 || block[7] != 0 || sealedLength > block.Length - PrefixLength)
        {
            throw Tampered(name, "its header has reserved bits set or announces more sealed bytes than a header holds");
        }

        if (block[(PrefixLength + (int)sealedLength)..].IndexOfAnyExcept((byte)0) >= 0)
        {
            throw Tampered(name, "its header has bytes after the sealed part, where a header holds zeros");
        }

        ReadOnlySpan<byte> sealedMetadata = block.Slice(PrefixLength, (int)sealedLength);
        SealedBlobHeader sealedHeader;
        byte[] plain;
        try
        {
            sealedHeader = SealedBlobHeader.Read(sealedMetadata);
            if (sealedHeader.Policy != requestedPolicy)
            {
                throw new ProtectedFileException(
                    $"Protected file '{name}' was created under sealing policy {sealedHeader.PolicyName}; it was opened asking for {SealedBlobHeader.Name(requestedPolicy)}. A file keeps the policy it was created with: open it with SealingPolicy.{(sealedHeader.Policy == SealingPolicy.MrEnclave ? "MrEnclave" : "MrSigner")}, or copy it into a new file under the other policy.",
                    ProtectedFileFailure.PolicyMismatch,
                    name,
                    expected: sealedHeader.PolicyName,
                    actual: SealedBlobHeader.Name(requestedPolicy));
            }

            plain = sealing.Unseal(sealedMetadata, AdditionalData(block));
        }
        catch (EnclaveSealingException exception)
        {
            throw FromSealing(name, exception);
        }

        try
        {
            ProtectedFileMetadata metadata = ProtectedFileMetadata.Decode(plain) ?? throw Tampered(name, "its sealed header holds inconsistent fields");
            if (!string.Equals(metadata.Name, name, StringComparison.Ordinal))
            {
                throw new ProtectedFileException(
                    $"Protected file '{name}': the host handed over the file '{metadata.Name}' instead (its authenticated header names it). Files cannot stand in for each other; the host must return the right one.",
                    ProtectedFileFailure.AnotherFile,
                    name,
                    expected: name,
                    actual: metadata.Name);
            }

            if ((block[5] & CounterBoundFlag) != 0 != (metadata.CounterId is not null))
            {
                throw Tampered(name, "its readable counter flag disagrees with its sealed header");
            }

            return metadata;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain);
        }
    }

    public static ProtectedFileException Tampered(string name, string what) => new(
        $"Protected file '{name}' was tampered with: {what}. Its blocks are authenticated by a tree whose root is sealed in the header, so a modified, swapped, reordered or foreign block, or one from another version, is refused. Restore the file from a copy the enclave wrote.",
        ProtectedFileFailure.Tampered,
        name);

    private static ProtectedFileException FromSealing(string name, EnclaveSealingException exception) => exception.Reason switch
    {
        SealingFailure.AnotherPlatform or SealingFailure.AnotherEnclave or SealingFailure.AnotherSigner or SealingFailure.AnotherProduct
            or SealingFailure.DebugMismatch or SealingFailure.HigherSecurityVersion => new ProtectedFileException(
                $"Protected file '{name}' cannot be opened by this enclave: its header is sealed so. {exception.Message}",
                ProtectedFileFailure.AccessDenied,
                name,
                exception.Expected,
                exception.Actual,
                exception),
        SealingFailure.UnsupportedVersion => new ProtectedFileException(
            $"Protected file '{name}': {exception.Message}",
            ProtectedFileFailure.UnsupportedVersion,
            name,
            exception.Expected,
            exception.Actual,
            exception),
        _ => new ProtectedFileException(
            $"Protected file '{name}' was tampered with: its sealed header does not authenticate ({exception.Reason}). Restore the file from a copy the enclave wrote.",
            ProtectedFileFailure.Tampered,
            name,
            innerException: exception),
    };

    // The readable prefix is authenticated with the sealed metadata, so its flag cannot be flipped unnoticed.
    private static byte[] AdditionalData(ReadOnlySpan<byte> block)
    {
        byte[] associated = new byte[SealingLabel.Length + 8];
        SealingLabel.CopyTo(associated);
        block[..8].CopyTo(associated.AsSpan(SealingLabel.Length));
        return associated;
    }
}
