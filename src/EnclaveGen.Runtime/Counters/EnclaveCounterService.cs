using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using EnclaveGen.Runtime.Platform;

namespace EnclaveGen.Runtime.Counters;

/// <summary>
/// The monotonic counters one enclave owns on a platform. A counter belongs to an owner, as sealed
/// data does: <see cref="SealingPolicy.MrEnclave"/> (this exact enclave) or
/// <see cref="SealingPolicy.MrSigner"/> (every enclave of this signer and product, so a counter
/// survives upgrades), and to the debug attribute. Two owners never see each other's counters,
/// even under the same name. Trusted code reaches it through <see cref="EnclaveCounters"/>.
/// </summary>
public sealed class EnclaveCounterService
{
    private const int MaxNameLength = 256;
    private static ReadOnlySpan<byte> IdLabel => "EnclaveGen counter id v1"u8;

    private readonly EnclavePlatform _platform;

    /// <summary>Counters of <paramref name="identity"/> on <paramref name="platform"/>.</summary>
    public EnclaveCounterService(EnclavePlatform platform, EnclaveIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(platform);
        ArgumentNullException.ThrowIfNull(identity);
        _platform = platform;
        Identity = identity;
    }

    /// <summary>The enclave whose counters these are.</summary>
    public EnclaveIdentity Identity { get; }

    /// <summary>True when the platform has a monotonic counter service.</summary>
    public bool IsAvailable => _platform.MonotonicCounters is not null;

    /// <summary>Creates the counter <paramref name="name"/> of <paramref name="owner"/> with the value 0.</summary>
    /// <exception cref="MonotonicCounterException">It exists already, or the platform has no counters.</exception>
    public ulong Create(string name, SealingPolicy owner = SealingPolicy.MrSigner) =>
        Require().Create(IdFor(CounterKind.Named, name, owner));

    /// <summary>Adds one to the counter and returns its new value.</summary>
    /// <exception cref="MonotonicCounterException">It does not exist, is at its largest value, or the platform has no counters.</exception>
    public ulong Increment(string name, SealingPolicy owner = SealingPolicy.MrSigner) =>
        Require().Increment(IdFor(CounterKind.Named, name, owner));

    /// <summary>The counter's value.</summary>
    /// <exception cref="MonotonicCounterException">It does not exist, or the platform has no counters.</exception>
    public ulong Read(string name, SealingPolicy owner = SealingPolicy.MrSigner) =>
        Require().Read(IdFor(CounterKind.Named, name, owner))
            ?? throw new MonotonicCounterException($"Monotonic counter '{name}' ({SealedOwner(owner)}) does not exist on this platform: create it with EnclaveCounters.Create first.", MonotonicCounterFailure.NotFound);

    /// <summary>The platform's service, or a clear error saying this platform has none.</summary>
    internal IMonotonicCounterService Require() =>
        _platform.MonotonicCounters ?? throw new MonotonicCounterException(
            $"This platform ({_platform.Location}) has no monotonic counter service, so nothing can be bound to a counter here. " +
            "Run on a platform (TEE profile) with counters, such as the emulated platform's store, or do without rollback protection.",
            MonotonicCounterFailure.Unavailable);

    /// <summary>Where the counters are kept, for messages.</summary>
    internal string Where => _platform.MonotonicCounters?.Description ?? _platform.Location;

    /// <summary>
    /// The platform-wide ID of a counter: SHA-256 over a label, the kind (a named counter, or the
    /// one of a protected file), the owner's policy, debug attribute, identity and product, and the
    /// name, as 64 hex digits. Documented in docs/protected-files.md.
    /// </summary>
    internal string IdFor(CounterKind kind, string name, SealingPolicy owner)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length is 0 or > MaxNameLength || name.Any(char.IsControl))
        {
            throw new ArgumentException($"A counter name is 1 to {MaxNameLength} characters without control characters; got '{name}'.", nameof(name));
        }

        if (owner is not (SealingPolicy.MrEnclave or SealingPolicy.MrSigner))
        {
            throw new ArgumentOutOfRangeException(nameof(owner), owner, "A counter's owner is SealingPolicy.MrEnclave or SealingPolicy.MrSigner.");
        }

        byte[] utf8 = Encoding.UTF8.GetBytes(name);
        byte[] input = new byte[IdLabel.Length + 1 + 1 + 1 + EnclaveHash.Length + 2 + utf8.Length];
        IdLabel.CopyTo(input);
        int at = IdLabel.Length;
        input[at++] = (byte)kind;
        input[at++] = (byte)owner;
        input[at++] = Identity.IsDebug ? (byte)1 : (byte)0;
        (owner == SealingPolicy.MrEnclave ? Identity.Mrenclave : Identity.Mrsigner).AsSpan().CopyTo(input.AsSpan(at));
        at += EnclaveHash.Length;
        BinaryPrimitives.WriteUInt16LittleEndian(input.AsSpan(at), Identity.ProductId);
        utf8.CopyTo(input.AsSpan(at + 2));
        return Convert.ToHexStringLower(SHA256.HashData(input));
    }

    private string SealedOwner(SealingPolicy owner) => owner == SealingPolicy.MrEnclave
        ? $"owner MRENCLAVE {Identity.Mrenclave}"
        : $"owner MRSIGNER {Identity.Mrsigner}, product {Identity.ProductId}";
}

/// <summary>What a counter counts; part of its ID, so a named counter never collides with a file's.</summary>
internal enum CounterKind : byte
{
    /// <summary>A counter the enclave created by name (<see cref="EnclaveCounters"/>); sealed blobs bind to these.</summary>
    Named = 1,

    /// <summary>The counter of a protected file, named after the file.</summary>
    ProtectedFile = 2,
}
