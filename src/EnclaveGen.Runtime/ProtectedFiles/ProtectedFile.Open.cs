using System.Globalization;
using EnclaveGen.Runtime.Counters;
using EnclaveGen.Runtime.Platform;
using EnclaveGen.Runtime.Sealing;
using static EnclaveGen.Runtime.ProtectedFiles.ProtectedFileLayout;

namespace EnclaveGen.Runtime.ProtectedFiles;

// Opening: finish an interrupted commit, then create the file or authenticate its header, its
// length and, for a counter-bound file, its version against the counter.
internal sealed partial class ProtectedFile
{
    public static ProtectedFile Open(IProtectedFileStorage storage, SealingService sealing, EnclaveCounterService counters, string name, FileMode mode, bool canWrite, SealingPolicy policy, ProtectedFileOptions options)
    {
        CheckedStorage host = new(storage, name);
        try
        {
            ProtectedFileJournal.Recover(host);
            long length = host.GetLength(ProtectedFilePart.Data);
            bool exists = length > 0;
            string counterId = counters.IdFor(CounterKind.ProtectedFile, name, policy);
            ulong? counter = ReadCounter(counters, counterId, name);
            if (!exists && counter > 0 && mode is FileMode.Open or FileMode.OpenOrCreate or FileMode.Append or FileMode.Truncate)
            {
                throw new ProtectedFileException(
                    string.Create(CultureInfo.InvariantCulture, $"Protected file '{name}' was rolled back: it is missing, but its monotonic counter says version {counter} was committed. The host deleted or hid it. Have the host restore the newest copy; to start over on purpose, open it with FileMode.Create."),
                    ProtectedFileFailure.RolledBack,
                    name,
                    expected: string.Create(CultureInfo.InvariantCulture, $"version {counter}"),
                    actual: "no file");
            }

            if (!exists && mode is FileMode.Open or FileMode.Truncate)
            {
                throw new ProtectedFileException($"Protected file '{name}' does not exist in the host's storage. Open it with FileMode.OpenOrCreate or FileMode.Create to create it.", ProtectedFileFailure.NotFound, name);
            }

            if (exists && mode == FileMode.CreateNew)
            {
                throw new ProtectedFileException($"Protected file '{name}' exists already; FileMode.CreateNew creates only new files. Open it, or replace it with FileMode.Create.", ProtectedFileFailure.AlreadyExists, name);
            }

            return mode is FileMode.Create or FileMode.CreateNew or FileMode.Truncate || !exists
                ? Create(host, sealing, counters, name, policy, options, counterId, counter, Math.Max(0, length))
                : OpenExisting(host, sealing, counters, name, canWrite, policy, options, counterId, counter, length);
        }
        catch
        {
            host.Close();
            throw;
        }
    }

    private static ProtectedFile Create(CheckedStorage host, SealingService sealing, EnclaveCounterService counters, string name, SealingPolicy policy, ProtectedFileOptions options, string counterId, ulong? counter, long hostLength)
    {
        // A name that ever had a counter keeps it: a new file under it continues the count.
        bool bound = options.RollbackProtection || counter is not null;
        ulong counterValue = 0;
        if (bound)
        {
            IMonotonicCounterService service = RequireCounters(counters, name);
            counterValue = counter ?? CreateCounter(service, counterId);
        }

        ProtectedFileMetadata metadata = ProtectedFileMetadata.CreateNew(name, bound ? counterId : null);
        metadata.CounterValue = counterValue;
        ProtectedFile file = new(host, sealing, counters, policy, canWrite: true, metadata, hostLength, options.CacheBytes);
        try
        {
            // Creating is a commit: the empty file exists (and, bound, holds the next version) before any data is written.
            file.CommitLocked();
            return file;
        }
        catch
        {
            file.DisposeWithoutCommit();
            throw;
        }
    }

    private static ProtectedFile OpenExisting(CheckedStorage host, SealingService sealing, EnclaveCounterService counters, string name, bool canWrite, SealingPolicy policy, ProtectedFileOptions options, string counterId, ulong? counter, long length)
    {
        byte[] block = new byte[BlockSize];
        host.ReadExactly(ProtectedFilePart.Data, 0, block);
        ProtectedFileMetadata metadata = ProtectedFileHeader.Read(block, name, policy, sealing);
        long expectedLength = PhysicalLength(metadata.Size);
        if (length < expectedLength)
        {
            throw new ProtectedFileException(
                string.Create(CultureInfo.InvariantCulture, $"Protected file '{name}' is truncated: its authenticated header says {metadata.Size} bytes, which take {expectedLength} bytes on the host, but the host's copy has {length}. Restore a complete copy."),
                ProtectedFileFailure.Truncated,
                name,
                expected: string.Create(CultureInfo.InvariantCulture, $"{expectedLength} bytes"),
                actual: string.Create(CultureInfo.InvariantCulture, $"{length} bytes"));
        }

        if (metadata.CounterId is { } boundTo)
        {
            if (!string.Equals(boundTo, counterId, StringComparison.Ordinal))
            {
                throw ProtectedFileHeader.Tampered(name, "its header names another file's counter");
            }

            CheckVersion(RequireCounters(counters, name), counterId, counter, metadata.CounterValue, name);
        }
        else if (options.RollbackProtection || counter is not null)
        {
            throw counter is not null
                ? new ProtectedFileException(
                    $"Protected file '{name}' was rolled back: the host handed back a version without rollback protection, but the file has a monotonic counter, so a protected version was committed since. Have the host restore the newest copy.",
                    ProtectedFileFailure.RolledBack,
                    name,
                    expected: "a counter-bound version",
                    actual: "a version without a counter")
                : new ProtectedFileException(
                    $"Protected file '{name}' was created without rollback protection, and this open asks for it. Copy its content into a new file created with RollbackProtection = true (FileMode.Create), or open it without asking.",
                    ProtectedFileFailure.PolicyMismatch,
                    name,
                    expected: "rollback protection",
                    actual: "none");
        }

        ProtectedFile file = new(host, sealing, counters, policy, canWrite, metadata, length, options.CacheBytes)
        {
            // A session that will write first moves the counter past every version another session might have left half-committed.
            _needsRefresh = canWrite && metadata.CounterId is not null,
        };
        return file;
    }

    /// <summary>
    /// A counter-bound file opens at its counter's value, or one above it (its commit reached the
    /// host but the counter increment did not: the open finishes it). Lower is a rollback; higher,
    /// or a missing counter, is a counter store that was reset.
    /// </summary>
    private static void CheckVersion(IMonotonicCounterService service, string counterId, ulong? counter, ulong version, string name)
    {
        if (counter is null || version > counter + 1)
        {
            string now = counter?.ToString(CultureInfo.InvariantCulture) ?? "missing";
            throw new ProtectedFileException(
                string.Create(CultureInfo.InvariantCulture, $"Protected file '{name}' is version {version}, but its monotonic counter in {service.Description} is {now}: the platform's counter store was reset or rolled back (in emulation, whoever controls the store can do this). The file itself is authentic; restore the counter store."),
                ProtectedFileFailure.CounterBehind,
                name,
                expected: string.Create(CultureInfo.InvariantCulture, $"counter >= {(version == 0 ? 0 : version - 1)}"),
                actual: now);
        }

        if (version < counter)
        {
            throw new ProtectedFileException(
                string.Create(CultureInfo.InvariantCulture, $"Protected file '{name}' was rolled back: the host handed back version {version}, but its monotonic counter says version {counter} was committed since. An older copy is never accepted again; have the host return the newest file."),
                ProtectedFileFailure.RolledBack,
                name,
                expected: string.Create(CultureInfo.InvariantCulture, $"version {counter}"),
                actual: string.Create(CultureInfo.InvariantCulture, $"version {version}"));
        }

        if (version == counter + 1)
        {
            IncrementTo(service, counterId, version, name);
        }
    }

    /// <summary>
    /// Moves the file's counter one up, which must land on <paramref name="version"/>: anything
    /// else means another writer (another instance of this enclave, on the same storage) committed
    /// the same file meanwhile.
    /// </summary>
    private static void IncrementTo(IMonotonicCounterService service, string counterId, ulong version, string name)
    {
        ulong counter = Increment(service, counterId, name);
        if (counter != version)
        {
            throw ConcurrentWriter(name, version, counter);
        }
    }

    private static ProtectedFileException ConcurrentWriter(string name, ulong expected, ulong? actual)
    {
        string now = actual?.ToString(CultureInfo.InvariantCulture) ?? "missing";
        return new ProtectedFileException(
            string.Create(CultureInfo.InvariantCulture, $"Protected file '{name}': its counter is {now} where this writer expected {expected}. Another writer (another instance of this enclave, on the same storage) committed the file meanwhile; a file has one writer. Open it again."),
            ProtectedFileFailure.ConcurrentWriter,
            name,
            expected: expected.ToString(CultureInfo.InvariantCulture),
            actual: now);
    }

    private static ulong? ReadCounter(EnclaveCounterService counters, string counterId, string name)
    {
        if (!counters.IsAvailable)
        {
            return null;
        }

        try
        {
            return counters.Require().Read(counterId);
        }
        catch (MonotonicCounterException exception)
        {
            throw CounterFailed(name, exception);
        }
    }

    private static ulong CreateCounter(IMonotonicCounterService service, string counterId)
    {
        try
        {
            return service.Create(counterId);
        }
        catch (MonotonicCounterException exception) when (exception.Reason == MonotonicCounterFailure.AlreadyExists)
        {
            // Created meanwhile by another open of the same name: continue from its value.
            return service.Read(counterId) ?? 0;
        }
    }

    private static ulong Increment(IMonotonicCounterService service, string counterId, string name)
    {
        try
        {
            return service.Increment(counterId);
        }
        catch (MonotonicCounterException exception)
        {
            throw CounterFailed(name, exception);
        }
    }

    private static IMonotonicCounterService RequireCounters(EnclaveCounterService counters, string name)
    {
        try
        {
            return counters.Require();
        }
        catch (MonotonicCounterException exception)
        {
            throw new ProtectedFileException(
                $"Protected file '{name}' is bound to a monotonic counter (rollback protection), and this platform has none. {exception.Message}",
                ProtectedFileFailure.CounterUnavailable,
                name,
                innerException: exception);
        }
    }

    private static ProtectedFileException CounterFailed(string name, MonotonicCounterException exception) => new(
        $"Protected file '{name}': its monotonic counter failed ({exception.Reason}): {exception.Message}",
        exception.Reason == MonotonicCounterFailure.Unavailable ? ProtectedFileFailure.CounterUnavailable : ProtectedFileFailure.CounterBehind,
        name,
        innerException: exception);

    /// <summary>Releases a file whose creation failed, without trying to commit again.</summary>
    private void DisposeWithoutCommit()
    {
        _disposed = true;
        _cache.Clear();
        _aes.Dispose();
        System.Security.Cryptography.CryptographicOperations.ZeroMemory(_committed.DataKey);
    }
}
