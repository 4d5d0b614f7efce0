using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using EnclaveGen.Attestation.Emulation;
using EnclaveGen.Attestation.Verification;
using EnclaveGen.Runtime.Platform;

namespace EnclaveGen;

/// <summary>
/// The emulated CPU: owns the platform's root secret (the fused key that sealing and report keys
/// derive from) and named opaque entries for other platform material (for example the emulated
/// attestation key and its certificate chain, as PEM). <see cref="Default"/> keeps them in the
/// current user's EnclaveGen home so sealed data survives restarts; tests use
/// <see cref="CreateInMemory(bool)"/>.
/// </summary>
public abstract partial class EnclavePlatform : IDisposable
{
    /// <summary>The length of the root key in bytes.</summary>
    public const int RootKeyLength = 32;

    private static readonly Lazy<EnclavePlatform> s_default = new(() => new FileEnclavePlatform(EnclaveGenHome.Resolve(), isShared: true));

    private readonly byte[] _rootKey;
    private readonly byte[] _platformId;
    private readonly bool _isShared;
    private bool _disposed;

    /// <summary>Takes the root key: it is copied into pinned memory (the GC never moves it, so it leaves no copies behind) and <paramref name="rootKey"/> is zeroed.</summary>
    private protected EnclavePlatform(byte[] rootKey, bool allowsUnsignedImages, bool isShared)
    {
        if (rootKey.Length != RootKeyLength)
        {
            throw new ArgumentException($"A platform root key is {RootKeyLength} bytes; got {rootKey.Length}.", nameof(rootKey));
        }

        _rootKey = GC.AllocateArray<byte>(RootKeyLength, pinned: true);
        rootKey.CopyTo(_rootKey, 0);
        CryptographicOperations.ZeroMemory(rootKey);
        _isShared = isShared;
        AllowsUnsignedImages = allowsUnsignedImages;
        _platformId = new byte[16];
        HKDF.DeriveKey(HashAlgorithmName.SHA256, _rootKey, _platformId, salt: [], info: "EnclaveGen platform id v1"u8);
    }

    /// <summary>
    /// The current user's platform, kept under <c>ENCLAVEGEN_HOME</c> (else <c>~/.enclavegen</c>),
    /// created on first use. Shared by the process; disposing it does nothing.
    /// </summary>
    public static EnclavePlatform Default => s_default.Value;

    /// <summary>
    /// A public fingerprint of the root key (16 bytes, hex): sealed blobs record it so that data
    /// sealed elsewhere is refused with a clear error. It reveals nothing about the key.
    /// </summary>
    public string PlatformId => Convert.ToHexStringLower(_platformId);

    /// <summary>True on test platforms that load enclave images without a signature file.</summary>
    public bool AllowsUnsignedImages { get; }

    /// <summary>Where the platform keeps its secrets, for messages (a path, or "in memory").</summary>
    public abstract string Location { get; }

    /// <summary>Opens (creating on first use) the platform kept in <paramref name="homeDirectory"/>, by default the user's EnclaveGen home.</summary>
    /// <exception cref="EnclavePlatformException">The store is unreadable, corrupt, or readable by other users.</exception>
    public static EnclavePlatform OpenUserStore(string? homeDirectory = null) => new FileEnclavePlatform(homeDirectory ?? EnclaveGenHome.Resolve(), isShared: false);

    /// <summary>A platform with a fresh random root key that lives only in memory (tests).</summary>
    /// <param name="allowUnsignedImages">Let the loader accept images without a signature file.</param>
    public static EnclavePlatform CreateInMemory(bool allowUnsignedImages = false) => new InMemoryEnclavePlatform(RandomNumberGenerator.GetBytes(RootKeyLength), allowUnsignedImages);

    /// <summary>A platform with the given root key that lives only in memory (reproducible tests).</summary>
    public static EnclavePlatform CreateInMemory(ReadOnlySpan<byte> rootKey, bool allowUnsignedImages = false) => new InMemoryEnclavePlatform(rootKey.ToArray(), allowUnsignedImages);

    /// <summary>The entry named <paramref name="name"/>, or null.</summary>
    public byte[]? GetEntry(string name)
    {
        ValidateName(name);
        ThrowIfDisposed();
        return ReadEntry(name);
    }

    /// <summary>Stores <paramref name="value"/> under <paramref name="name"/>, replacing any previous value.</summary>
    public void SetEntry(string name, ReadOnlySpan<byte> value)
    {
        ValidateName(name);
        ThrowIfDisposed();
        byte[] copy = value.ToArray();
        UpdateEntry(name, _ => copy);
    }

    /// <summary>
    /// The entry named <paramref name="name"/>; if there is none, stores what
    /// <paramref name="create"/> returns and returns that. Atomic across processes sharing a store:
    /// racing callers all get the one value that was stored.
    /// </summary>
    public byte[] GetOrAddEntry(string name, Func<byte[]> create)
    {
        ValidateName(name);
        ArgumentNullException.ThrowIfNull(create);
        ThrowIfDisposed();
        return ReadEntry(name) ?? UpdateEntry(name, existing => existing ?? create());
    }

    /// <summary>The entry as UTF-8 text (for certificates and other public PEM blobs; read entries that hold keys with <see cref="GetEntry"/> and zero them), or null.</summary>
    public string? GetTextEntry(string name) => GetEntry(name) is { } bytes ? Encoding.UTF8.GetString(bytes) : null;

    /// <summary>Zeroes the root key (does nothing for <see cref="Default"/>, which the process shares).</summary>
    public void Dispose()
    {
        if (_isShared || _disposed)
        {
            return;
        }

        _disposed = true;
        CryptographicOperations.ZeroMemory(_rootKey);
        lock (_authorityLock)
        {
            _psaAuthority?.Dispose();
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>
    /// Derives key material from the root key with HKDF-SHA256. The root key never leaves the
    /// platform; every purpose passes its own <paramref name="info"/> label.
    /// </summary>
    internal void DeriveKey(ReadOnlySpan<byte> salt, ReadOnlySpan<byte> info, Span<byte> output)
    {
        ThrowIfDisposed();
        HKDF.DeriveKey(HashAlgorithmName.SHA256, _rootKey, output, salt, info);
    }

    /// <summary>The fingerprint's 16 bytes.</summary>
    internal ReadOnlySpan<byte> PlatformIdBytes => _platformId;

    /// <summary>The root key itself, for a store that writes it back (never copied out of the platform otherwise).</summary>
    private protected ReadOnlySpan<byte> RootKey => _rootKey;

    /// <summary>Where the emulated quoting authority (keys and certificates, PEM) is kept.</summary>
    internal const string AttestationAuthorityEntry = "attestation/emulated-authority.pem";

    private EmulatedAttestationAuthority? _authority;
    private readonly Lock _authorityLock = new();

    /// <summary>
    /// The emulated quoting enclave and its certificate chain (root CA, PCK CA, PCK) for this
    /// platform: created on first use and kept in the platform's store, so quotes keep chaining to
    /// the same emulated root across restarts and processes.
    /// </summary>
    internal EmulatedAttestationAuthority AttestationAuthority
    {
        get
        {
            lock (_authorityLock)
            {
                ThrowIfDisposed();
                if (_authority is not null)
                {
                    return _authority;
                }

                // The export holds private keys: it stays in byte buffers that are zeroed, never in a string.
                byte[] pem = GetOrAddEntry(AttestationAuthorityEntry, () =>
                {
                    using EmulatedAttestationAuthority created = EmulatedAttestationAuthority.Create();
                    return created.ExportPemUtf8();
                });
                try
                {
                    return _authority = EmulatedAttestationAuthority.ImportPemUtf8(pem);
                }
                finally
                {
                    CryptographicOperations.ZeroMemory(pem);
                }
            }
        }
    }

    /// <summary>
    /// The trust anchor a relying party needs to verify quotes of enclaves on this platform: the
    /// platform's emulated root CA, marked emulated, so verification reports <c>IsEmulated</c> and
    /// the default policy refuses it unless told otherwise.
    /// </summary>
    public TrustAnchor AttestationTrustAnchor => AttestationAuthority.TrustAnchor;

    /// <summary>The emulated root CA certificate (DER), to hand to relying parties elsewhere (<c>enclavegen verify --root</c>).</summary>
    public ReadOnlyMemory<byte> AttestationRootCertificate => AttestationAuthority.RootCertificateDer;

    /// <summary>
    /// How an isolated enclave's own process opens this same platform: the store's folder for a
    /// file store; for an in-memory platform (tests), its root key itself, handed over the private
    /// control pipe between the host and its child, as the emulated CPU's fuses would be shared.
    /// </summary>
    internal (string StoreFolder, byte[] RootKey, byte[] AttestationAuthority) DescribeForChild() =>
        this is FileEnclavePlatform file
            ? (Path.GetDirectoryName(file.Location)!, [], [])
            : (string.Empty, _rootKey.ToArray(), AttestationAuthority.ExportPemUtf8());

    /// <summary>Opens the platform a host described with <see cref="DescribeForChild"/>.</summary>
    internal static EnclavePlatform OpenForChild(string storeFolder, byte[] rootKey, byte[] attestationAuthority, bool allowUnsignedImages)
    {
        if (storeFolder.Length > 0)
        {
            return OpenUserStore(storeFolder);
        }

        EnclavePlatform platform = CreateInMemory(rootKey, allowUnsignedImages);
        platform.SetEntry(AttestationAuthorityEntry, attestationAuthority);
        return platform;
    }

    private protected abstract byte[]? ReadEntry(string name);

    /// <summary>Applies <paramref name="update"/> to the current value (null if none) and stores the result atomically.</summary>
    private protected abstract byte[] UpdateEntry(string name, Func<byte[]?, byte[]> update);

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

    private static void ValidateName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length > 200 || !EntryName().IsMatch(name))
        {
            throw new ArgumentException($"A platform entry name is up to 200 characters: '/'-separated segments of letters, digits, '.', '_' and '-', each starting with a letter, digit, '_' or '-'; got '{name}'.", nameof(name));
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_-][A-Za-z0-9._-]*(/[A-Za-z0-9_-][A-Za-z0-9._-]*)*$")]
    private static partial Regex EntryName();
}
