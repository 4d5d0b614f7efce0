using EnclaveGen.Runtime.Counters;
using EnclaveGen.Runtime.Sealing;

namespace EnclaveGen.Runtime.ProtectedFiles;

/// <summary>
/// Protected files of one enclave on a platform, kept in a host's storage (SGX's protected file
/// system: <c>sgx_fopen</c> with keys from sealing). Trusted code reaches it through
/// <see cref="EnclaveFiles"/>, whose storage is the host's, through the boundary; tools and tests
/// may construct one over a storage directly. Format and guarantees: docs/protected-files.md.
/// </summary>
/// <remarks>
/// One file is open for writing by one stream at a time, or for reading by any number: a second
/// open that would break this fails with <see cref="ProtectedFileFailure.InUse"/>.
/// </remarks>
public sealed class ProtectedFileService
{
    private readonly IProtectedFileStorage _storage;
    private readonly SealingService _sealing;
    private readonly EnclaveCounterService _counters;
    private readonly Dictionary<string, int> _open = new(StringComparer.Ordinal);
    private readonly Lock _openLock = new();

    /// <summary>Protected files of <paramref name="identity"/> on <paramref name="platform"/>, kept in <paramref name="storage"/>.</summary>
    public ProtectedFileService(EnclavePlatform platform, EnclaveIdentity identity, IProtectedFileStorage storage, TeeProfile profile = TeeProfile.SgxEmulated)
    {
        ArgumentNullException.ThrowIfNull(platform);
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(storage);
        _storage = storage;
        _sealing = new SealingService(platform, identity, profile);
        _counters = new EnclaveCounterService(platform, identity);
    }

    /// <summary>Opens the file <paramref name="name"/> for reading and writing.</summary>
    /// <inheritdoc cref="Open(string, FileMode, FileAccess, SealingPolicy, ProtectedFileOptions?)"/>
    public ProtectedFileStream Open(string name, FileMode mode, SealingPolicy policy, ProtectedFileOptions? options = null) =>
        Open(name, mode, FileAccess.ReadWrite, policy, options);

    /// <summary>
    /// Opens the file <paramref name="name"/>: a stream with random access whose bytes are
    /// encrypted and authenticated on the host. <see cref="Stream.Flush()"/> commits (atomically:
    /// a crash leaves the old or the new content); disposing commits what is left.
    /// </summary>
    /// <param name="name">1 to 128 letters, digits, '.', '_' and '-', not starting with '.'.</param>
    /// <param name="mode">As for <see cref="FileStream"/>: <see cref="FileMode.Open"/> needs the file, <see cref="FileMode.Create"/> replaces it, and so on.</param>
    /// <param name="access">Read, write, or both; reading opens may share a file, a writing one may not.</param>
    /// <param name="policy">Who can open the file: this exact enclave, or every enclave of this signer and product (the sealing rules, SVN included). A file keeps the policy it was created with.</param>
    /// <param name="options">Rollback protection (a monotonic counter) and the cache size.</param>
    /// <exception cref="ProtectedFileException">The file cannot be opened; <see cref="ProtectedFileException.Reason"/> says why (tampered, rolled back, another file, sealed for another enclave, ...).</exception>
    public ProtectedFileStream Open(string name, FileMode mode, FileAccess access, SealingPolicy policy, ProtectedFileOptions? options = null)
    {
        ProtectedFileNames.Validate(name);
        if (!Enum.IsDefined(mode))
        {
            throw new ArgumentOutOfRangeException(nameof(mode), mode, "Not a FileMode.");
        }

        if (access is not (FileAccess.Read or FileAccess.Write or FileAccess.ReadWrite))
        {
            throw new ArgumentOutOfRangeException(nameof(access), access, "Not a FileAccess.");
        }

        if (access == FileAccess.Read && mode != FileMode.Open)
        {
            throw new ArgumentException($"FileMode.{mode} may create or change the file, which FileAccess.Read does not allow: open for reading with FileMode.Open.", nameof(mode));
        }

        if (policy is not (SealingPolicy.MrEnclave or SealingPolicy.MrSigner))
        {
            throw new ArgumentOutOfRangeException(nameof(policy), policy, "The sealing policy is MrEnclave or MrSigner.");
        }

        options ??= ProtectedFileOptions.Default;
        options.Validate();
        bool canWrite = access != FileAccess.Read;
        lock (_openLock)
        {
            // Opens run one at a time, so two of them never finish an interrupted commit together.
            Acquire(name, canWrite);
            try
            {
                ProtectedFile file = ProtectedFile.Open(_storage, _sealing, _counters, name, mode, canWrite, policy, options);
                return new ProtectedFileStream(file, access, mode == FileMode.Append, () => Release(name, canWrite));
            }
            catch
            {
                Release(name, canWrite);
                throw;
            }
        }
    }

    /// <summary>Whether the host's storage has the file (it may still fail to open: existing is not authentic).</summary>
    public bool Exists(string name)
    {
        ProtectedFileNames.Validate(name);
        return new CheckedStorage(_storage, name).GetLength(ProtectedFilePart.Data) > 0;
    }

    /// <summary>
    /// Deletes the file from the host's storage. A file with rollback protection keeps its counter,
    /// so a later open must create it anew (<see cref="FileMode.Create"/>): the enclave cannot tell
    /// this deletion from a host's.
    /// </summary>
    /// <exception cref="ProtectedFileException">The file is open (<see cref="ProtectedFileFailure.InUse"/>).</exception>
    public void Delete(string name)
    {
        ProtectedFileNames.Validate(name);
        lock (_openLock)
        {
            Acquire(name, write: true);
            try
            {
                // The data first: a crash between leaves a journal alone, which the next open discards,
                // never the data of an interrupted commit without the journal that undoes it.
                CheckedStorage host = new(_storage, name);
                host.Delete(ProtectedFilePart.Data);
                host.Delete(ProtectedFilePart.Journal);
                host.Close();
            }
            finally
            {
                Release(name, write: true);
            }
        }
    }

    private void Acquire(string name, bool write)
    {
        lock (_open)
        {
            int holders = _open.GetValueOrDefault(name);
            if (holders < 0 || (write && holders > 0))
            {
                throw new ProtectedFileException(
                    $"Protected file '{name}' is open {(holders < 0 ? "for writing" : "for reading")} already; a file has one writer or any number of readers. Dispose the other stream first.",
                    ProtectedFileFailure.InUse,
                    name);
            }

            _open[name] = write ? -1 : holders + 1;
        }
    }

    private void Release(string name, bool write)
    {
        lock (_open)
        {
            int holders = _open.GetValueOrDefault(name);
            int remaining = write ? 0 : holders - 1;
            if (remaining == 0)
            {
                _open.Remove(name);
            }
            else
            {
                _open[name] = remaining;
            }
        }
    }
}
