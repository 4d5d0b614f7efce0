using System.IO.MemoryMappedFiles;
using System.Runtime.Versioning;
using EnclaveGen.Runtime.Platform;

namespace EnclaveGen.Runtime.Transport.Isolated;

/// <summary>
/// The memory the host and the enclave process share: one <see cref="SlotLayout.Stride"/>-byte
/// part per thread slot, in a file under /dev/shm that only the owner may open. The host creates
/// it, the enclave process maps it, and the host then unlinks it, so no other process can open it.
/// A host killed before the enclave mapped the file leaves it behind; the next host to create a
/// region removes such files, named after a process that no longer runs.
/// </summary>
internal sealed unsafe class SharedRegion : IDisposable
{
    private const string FilePrefix = "enclavegen";
    private const int NameHexDigits = 24;

    private readonly MemoryMappedFile _file;
    private readonly MemoryMappedViewAccessor _view;
    private byte* _pointer;

    private SharedRegion(string path, MemoryMappedFile file, int slots)
    {
        Path = path;
        Slots = slots;
        _file = file;
        _view = file.CreateViewAccessor(0, (long)slots * SlotLayout.Stride, MemoryMappedFileAccess.ReadWrite);
        byte* pointer = null;
        _view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
        _pointer = pointer + _view.PointerOffset;
    }

    public string Path { get; }

    public int Slots { get; }

    /// <summary>Creates the region for <paramref name="slots"/> slots in a new owner-only file.</summary>
    [SupportedOSPlatform("linux")]
    public static SharedRegion Create(int slots)
    {
        string folder = Directory.Exists("/dev/shm") ? "/dev/shm" : System.IO.Path.GetTempPath();
        RemoveAbandoned(folder);
        string path = System.IO.Path.Combine(folder, ProcessNamedEntries.NewName(FilePrefix, NameHexDigits));
        long size = (long)slots * SlotLayout.Stride;
        FileStream stream = new(path, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.ReadWrite,
            Share = FileShare.ReadWrite,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        });
        try
        {
            stream.SetLength(size);
            MemoryMappedFile file = MemoryMappedFile.CreateFromFile(stream, null, size, MemoryMappedFileAccess.ReadWrite, HandleInheritability.None, leaveOpen: false);
            return new SharedRegion(path, file, slots);
        }
        catch
        {
            stream.Dispose();
            File.Delete(path);
            throw;
        }
    }

    /// <summary>
    /// Deletes the region files in <paramref name="folder"/> whose creating process has ended: a host
    /// killed between creating its region and the enclave mapping it never unlinked it.
    /// </summary>
    internal static int RemoveAbandoned(string folder) => ProcessNamedEntries.RemoveAbandoned(folder, FilePrefix, NameHexDigits, directories: false);

    /// <summary>Maps a region the host created; refuses a file anyone but its owner could open, or of the wrong size.</summary>
    [SupportedOSPlatform("linux")]
    public static SharedRegion Open(string path, int slots)
    {
        long size = (long)slots * SlotLayout.Stride;
        FileStream stream = new(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
        try
        {
            UnixFileMode mode = File.GetUnixFileMode(stream.SafeFileHandle);
            if ((mode & (UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite)) != 0)
            {
                throw new EnclaveException($"The shared region '{path}' may be opened by other users (mode {mode}); refusing it.");
            }

            if (stream.Length != size)
            {
                throw new EnclaveException($"The shared region '{path}' holds {stream.Length} bytes; {size} were expected for {slots} slots.");
            }

            MemoryMappedFile file = MemoryMappedFile.CreateFromFile(stream, null, size, MemoryMappedFileAccess.ReadWrite, HandleInheritability.None, leaveOpen: false);
            return new SharedRegion(path, file, slots);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>The first byte of slot <paramref name="slot"/>'s part.</summary>
    public byte* Slot(int slot) => _pointer + ((long)slot * SlotLayout.Stride);

    /// <summary>Removes the file's name: the mappings stay, nobody can open it any more.</summary>
    public void Unlink()
    {
        try
        {
            File.Delete(Path);
        }
        catch (IOException)
        {
            // Already gone; the goal is reached.
        }
    }

    public void Dispose()
    {
        if (_pointer is not null)
        {
            _pointer = null;
            _view.SafeMemoryMappedViewHandle.ReleasePointer();
        }

        _view.Dispose();
        _file.Dispose();
        Unlink();
    }
}
