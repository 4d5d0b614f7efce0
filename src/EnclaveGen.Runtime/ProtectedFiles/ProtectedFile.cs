using System.Globalization;
using System.Security.Cryptography;
using EnclaveGen.Runtime.Counters;
using EnclaveGen.Runtime.Crypto;
using EnclaveGen.Runtime.Sealing;
using static EnclaveGen.Runtime.ProtectedFiles.ProtectedFileLayout;

namespace EnclaveGen.Runtime.ProtectedFiles;

/// <summary>
/// One open protected file (docs/protected-files.md): fixed 4 KiB blocks, each AES-256-GCM
/// encrypted under the file's data key, their nonces and tags kept in a tree of nodes whose root
/// entry is sealed in the header with the file's name and size. Reads authenticate every node from
/// the root down; writes change blocks in a bounded cache, and a commit writes them back atomically
/// (blocks appended past the committed end go out ahead of it: ProtectedFile.WriteOut.cs).
/// Every member takes the file's lock, so one open file may be used from several threads.
/// </summary>
internal sealed partial class ProtectedFile : IDisposable
{
    private const byte DataKind = 1;
    private const byte TreeKind = 2;
    private const int CommitReserve = 16;
    private const ulong MaxNodeWrites = 1UL << 32;
    private const int NoncePool = 256;

    private readonly CheckedStorage _storage;
    private readonly SealingService _sealing;
    private readonly EnclaveCounterService _counters;
    private readonly SealingPolicy _policy;
    private readonly NodeCache _cache;
    private readonly ProtectedFileMetadata _committed;
    private readonly IBoundaryAead _aes;
    private readonly Lock _lock = new();
    private readonly int _readAhead;
    private readonly byte[] _nonces = new byte[NoncePool * NonceSize];
    private int _noncesUsed = NoncePool;
    private long _hostLength;
    private long _size;
    private long _trimFrom = long.MaxValue;
    private long _lastLoadedBlock = -2;
    private bool _needsRefresh;
    private ProtectedFileException? _fault;
    private bool _disposed;
    private NodeWriteBatch? _batch;

    private ProtectedFile(CheckedStorage storage, SealingService sealing, EnclaveCounterService counters, SealingPolicy policy, bool canWrite, ProtectedFileMetadata committed, long hostLength, int cacheBytes)
    {
        _storage = storage;
        _sealing = sealing;
        _counters = counters;
        _policy = policy;
        CanWrite = canWrite;
        _committed = committed;
        _hostLength = hostLength;
        _size = committed.Size;
        _cache = new NodeCache(cacheBytes / BlockSize);
        // Up to a whole tree node's 96 blocks per read (a run never crosses one), at most 3/8 of the cache.
        _readAhead = Math.Min(DataPerNode, _cache.Capacity * 3 / 8);
        // The runtime's AES-256-GCM (AES-NI and carry-less multiply where the CPU has them, the
        // platform's otherwise): the same format as .NET's AesGcm, about 30% less CPU per 4 KiB block.
        _aes = BoundaryAead.Create(committed.DataKey);
    }

    public string Name => _storage.Name;

    public bool CanWrite { get; }

    public bool IsCounterBound => _committed.CounterId is not null;

    /// <summary>Decrypted nodes held now, and the most the cache holds (tests check the bound).</summary>
    internal (int Count, int Capacity) CacheUse
    {
        get
        {
            lock (_lock)
            {
                return (_cache.Count, _cache.Capacity);
            }
        }
    }

    public long Length
    {
        get
        {
            lock (_lock)
            {
                ThrowIfUnusable(write: false);
                return _size;
            }
        }
    }

    /// <summary>Reads up to <paramref name="destination"/>'s length from <paramref name="position"/>; 0 at or past the end.</summary>
    public int Read(long position, Span<byte> destination)
    {
        lock (_lock)
        {
            ThrowIfUnusable(write: false);
            if (position >= _size || destination.IsEmpty)
            {
                return 0;
            }

            int total = (int)Math.Min(destination.Length, _size - position);
            try
            {
                for (int done = 0; done < total;)
                {
                    long at = position + done;
                    int offset = (int)(at % BlockSize);
                    if (offset == 0 && total - done >= DirectReadMinBlocks * BlockSize)
                    {
                        int direct = ReadDirect(at / BlockSize, destination.Slice(done, (total - done) / BlockSize * BlockSize));
                        if (direct > 0)
                        {
                            done += direct;
                            continue;
                        }
                    }

                    int count = Math.Min(BlockSize - offset, total - done);
                    GetData(at / BlockSize).Plain.AsSpan(offset, count).CopyTo(destination.Slice(done, count));
                    done += count;
                }
            }
            catch (Exception exception) when (Fault(exception))
            {
                throw;
            }

            return total;
        }
    }

    /// <summary>Writes <paramref name="source"/> at <paramref name="position"/>; a gap past the end reads as zeros.</summary>
    public void Write(long position, ReadOnlySpan<byte> source)
    {
        lock (_lock)
        {
            ThrowIfUnusable(write: true);
            CheckSize(position + source.Length);
            for (int done = 0; done < source.Length;)
            {
                if (_cache.DirtyCount >= _cache.Capacity - CommitReserve)
                {
                    // The cache is nearly all changes: write out the appended blocks (no commit needed, see
                    // WriteOutAppendedLocked); if that frees too little, commit, as SGX's protected files
                    // do, so memory stays bounded.
                    WriteOutAppendedLocked();
                    if (_cache.DirtyCount >= _cache.Capacity / 2)
                    {
                        CommitLocked();
                    }
                }

                long at = position + done;
                int offset = (int)(at % BlockSize);
                int count = Math.Min(BlockSize - offset, source.Length - done);
                long block = at / BlockSize;
                try
                {
                    if (count == BlockSize && TryWriteOutDirectly(block, source.Slice(done, BlockSize)))
                    {
                        done += count;
                        _size = Math.Max(_size, at + count);
                        continue;
                    }

                    NodeCache.Node node = count == BlockSize ? GetDataToOverwrite(block) : GetData(block);
                    source.Slice(done, count).CopyTo(node.Plain.AsSpan(offset));
                    _cache.MarkDirty(node);
                }
                catch (Exception exception) when (Fault(exception))
                {
                    throw;
                }

                done += count;
                _size = Math.Max(_size, at + count);
            }
        }
    }

    /// <summary>Cuts the file (the cut bytes are gone, a later extension reads zeros) or extends it with zeros.</summary>
    public void SetLength(long length)
    {
        lock (_lock)
        {
            ThrowIfUnusable(write: true);
            CheckSize(length);
            if (length < _size)
            {
                long keptBlocks = DataBlocks(length);
                _trimFrom = Math.Min(_trimFrom, keptBlocks);
                // Tree nodes cut whole by an earlier cut and cached since hold this session's state, not stale entries: only this cut's go.
                _cache.RemoveFrom(keptBlocks, TrimmedTreesFrom(keptBlocks));
                ForgetWrittenOutFrom(keptBlocks);
                if (length % BlockSize != 0)
                {
                    // The kept part of the last block stays; its tail must read as zeros if the file grows again.
                    try
                    {
                        NodeCache.Node last = GetData(length / BlockSize);
                        last.Plain.AsSpan((int)(length % BlockSize)).Clear();
                        _cache.MarkDirty(last);
                    }
                    catch (Exception exception) when (Fault(exception))
                    {
                        throw;
                    }
                }
            }

            _size = length;
        }
    }

    /// <summary>Commits every change so far: when it returns, they are durable and a crash keeps them.</summary>
    public void Flush()
    {
        lock (_lock)
        {
            ThrowIfUnusable(write: false);
            if (CanWrite && HasChanges)
            {
                CommitLocked();
            }

            if (CanWrite)
            {
                TrimHostLocked();
            }
        }
    }

    /// <summary>Commits what changed (an error here is thrown), then forgets the keys and the cache.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            try
            {
                if (CanWrite && _fault is null && HasChanges)
                {
                    CommitLocked();
                }

                if (CanWrite && _fault is null)
                {
                    TrimHostLocked();
                }
            }
            finally
            {
                _disposed = true;
                _batch?.Dispose();
                _cache.Clear();
                _aes.Dispose();
                CryptographicOperations.ZeroMemory(_committed.DataKey);
                _storage.Close();
            }
        }
    }

    private bool HasChanges => _cache.DirtyCount > 0 || _size != _committed.Size || _trimFrom != long.MaxValue;

    /// <summary>The first tree node whose whole range of data blocks a cut at <paramref name="trimFrom"/> removed.</summary>
    private static long TrimmedTreesFrom(long trimFrom) => trimFrom == long.MaxValue ? long.MaxValue : (trimFrom + DataPerNode - 1) / DataPerNode;

    private void CheckSize(long size)
    {
        if (size < 0 || size > MaxFileSize)
        {
            throw new ProtectedFileException(
                string.Create(CultureInfo.InvariantCulture, $"Protected file '{Name}' cannot be {size} bytes long: the format addresses 0 to {MaxFileSize} bytes (16 TiB). Split the data over several files."),
                ProtectedFileFailure.LimitReached,
                Name,
                expected: string.Create(CultureInfo.InvariantCulture, $"0 .. {MaxFileSize}"),
                actual: size.ToString(CultureInfo.InvariantCulture));
        }
    }

    private void ThrowIfUnusable(bool write)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_fault is not null)
        {
            throw new ProtectedFileException(
                $"Protected file '{Name}' is unusable after an earlier failure ({_fault.Reason}: {_fault.Message}) Dispose it and open it again.",
                ProtectedFileFailure.Faulted,
                Name,
                innerException: _fault);
        }

        if (write && !CanWrite)
        {
            throw new NotSupportedException($"Protected file '{Name}' was opened for reading only.");
        }
    }

    /// <summary>
    /// Records a failure in the middle of reading or committing (from the host, the boundary, or a
    /// cancelled ECALL): this open file is unusable from now on, because its cache may be half
    /// way through a change; the file on the host keeps its last commit. Always false, so the
    /// exception filter lets the original exception through unchanged.
    /// </summary>
    private bool Fault(Exception exception)
    {
        _fault ??= exception as ProtectedFileException ?? new ProtectedFileException(
            $"Protected file '{Name}' was interrupted by {exception.GetType().Name}: {exception.Message}",
            ProtectedFileFailure.Faulted,
            Name,
            innerException: exception);
        return false;
    }
}
