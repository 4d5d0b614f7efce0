using EnclaveGen.Runtime.Platform;
using Microsoft.Win32.SafeHandles;

namespace EnclaveGen.Runtime.ProtectedFiles;

/// <summary>
/// The default storage for protected files: one file per protected file in a folder (created
/// owner-only on first use), its recovery journal beside it as <c>.&lt;name&gt;.journal</c>.
/// Handles stay open until the enclave closes the file.
/// </summary>
public sealed class FolderProtectedFileStorage : IProtectedFileStorage, IDisposable
{
    private readonly Dictionary<(string Name, ProtectedFilePart Part), OpenPart> _open = [];
    private readonly Lock _lock = new();

    /// <summary>Keeps protected files in <paramref name="folder"/>.</summary>
    public FolderProtectedFileStorage(string folder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        Folder = Path.GetFullPath(folder);
    }

    /// <summary>Where the files are.</summary>
    public string Folder { get; }

    /// <summary>The host path of a protected file's part.</summary>
    public string PathOf(string name, ProtectedFilePart part)
    {
        if (!ProtectedFileNames.IsValid(name))
        {
            throw new ArgumentException($"'{name}' is not a protected file's name (1 to {ProtectedFileNames.MaxLength} letters, digits, '.', '_' and '-', not starting with '.').", nameof(name));
        }

        return Path.Combine(Folder, part == ProtectedFilePart.Journal ? $".{name}.journal" : name);
    }

    /// <inheritdoc/>
    public long GetLength(string name, ProtectedFilePart part)
    {
        using Lease lease = Acquire(name, part, create: false);
        if (lease.Handle is { } handle)
        {
            return RandomAccess.GetLength(handle);
        }

        return -1;
    }

    /// <inheritdoc/>
    public int Read(string name, ProtectedFilePart part, long offset, Span<byte> destination)
    {
        using Lease lease = Acquire(name, part, create: false);
        if (lease.Handle is not { } handle)
        {
            return 0;
        }

        int done = 0;
        while (done < destination.Length)
        {
            int read = RandomAccess.Read(handle, destination[done..], offset + done);
            if (read == 0)
            {
                break;
            }

            done += read;
        }

        return done;
    }

    /// <inheritdoc/>
    public void Write(string name, ProtectedFilePart part, long offset, ReadOnlySpan<byte> source)
    {
        using Lease lease = Acquire(name, part, create: true);
        RandomAccess.Write(lease.Handle!, source, offset);
    }

    /// <inheritdoc/>
    public void SetLength(string name, ProtectedFilePart part, long length)
    {
        using Lease lease = Acquire(name, part, create: true);
        RandomAccess.SetLength(lease.Handle!, length);
    }

    /// <inheritdoc/>
    public void Flush(string name, ProtectedFilePart part)
    {
        using Lease lease = Acquire(name, part, create: false);
        if (lease.Handle is { } handle)
        {
            RandomAccess.FlushToDisk(handle);
        }
    }

    /// <inheritdoc/>
    public void Delete(string name, ProtectedFilePart part)
    {
        string path = PathOf(name, part);
        Forget(name, part);
        if (File.Exists(path))
        {
            File.Delete(path);
            AtomicFile.FlushDirectory(Folder);
        }
    }

    /// <inheritdoc/>
    public void Close(string name)
    {
        Forget(name, ProtectedFilePart.Data);
        Forget(name, ProtectedFilePart.Journal);
    }

    /// <summary>Closes every handle (each once its last operation ends).</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            foreach (OpenPart open in _open.Values)
            {
                open.Release(closing: true);
            }

            _open.Clear();
        }
    }

    private void Forget((string Name, ProtectedFilePart Part) key)
    {
        lock (_lock)
        {
            if (_open.Remove(key, out OpenPart? open))
            {
                open.Release(closing: true);
            }
        }
    }

    private void Forget(string name, ProtectedFilePart part) => Forget((name, part));

    // Each operation holds a lease on its handle, so a Close from another stream of the same file
    // closes the handle only after the operation ends; the next operation opens it again. The
    // path (and the name's check) is made only to open: an open part's name was checked then.
    private Lease Acquire(string name, ProtectedFilePart part, bool create)
    {
        lock (_lock)
        {
            if (!_open.TryGetValue((name, part), out OpenPart? open))
            {
                string path = PathOf(name, part);
                if (!create && !File.Exists(path))
                {
                    return default;
                }

                EnclaveGenHome.EnsureDirectory(Folder);
                FileStreamOptions options = new()
                {
                    Mode = create ? FileMode.OpenOrCreate : FileMode.Open,
                    Access = FileAccess.ReadWrite,
                    Share = FileShare.ReadWrite | FileShare.Delete,
                    BufferSize = 0,
                };
                if (!OperatingSystem.IsWindows() && create)
                {
                    options.UnixCreateMode = EnclaveGenHome.SecretFileMode;
                }

                open = new OpenPart(new FileStream(path, options));
                _open[(name, part)] = open;
            }

            open.Users++;
            return new Lease(this, open);
        }
    }

    private sealed class OpenPart(FileStream stream)
    {
        public FileStream Stream { get; } = stream;

        // Taken once: FileStream.SafeFileHandle seeks the handle to the stream's position on every get.
        public SafeFileHandle Handle { get; } = stream.SafeFileHandle;

        public int Users { get; set; }

        private bool Closing { get; set; }

        /// <summary>Ends a lease (or, with <paramref name="closing"/>, the storage's own hold); the last one out closes the handle.</summary>
        public void Release(bool closing)
        {
            if (closing)
            {
                Closing = true;
            }
            else
            {
                Users--;
            }

            if (Closing && Users == 0)
            {
                Stream.Dispose();
            }
        }
    }

    private readonly struct Lease(FolderProtectedFileStorage owner, OpenPart? open) : IDisposable
    {
        public SafeFileHandle? Handle => open?.Handle;

        public void Dispose()
        {
            if (open is not null)
            {
                lock (owner._lock)
                {
                    open.Release(closing: false);
                }
            }
        }
    }
}
