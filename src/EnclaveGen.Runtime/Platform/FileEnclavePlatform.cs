using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;
using EnclaveGen.Attestation;

namespace EnclaveGen.Runtime.Platform;

/// <summary>
/// A platform kept in a per-user folder: <c>platform.json</c> holds the root key and the named
/// entries, owner-only (0600, in a 0700 folder), replaced atomically on every change, under a lock
/// file so that processes sharing the folder do not lose each other's updates. The root key is
/// created once, by whichever process gets there first, and never changes; it is read once, when
/// the store is opened. A home or store that another user owns or can write to is refused, and so
/// is a store others can read (<see cref="PrivateFiles"/>).
/// </summary>
internal sealed class FileEnclavePlatform : EnclavePlatform
{
    private const string StoreWhat = "emulated platform's store";
    private static readonly TimeSpan s_lockTimeout = TimeSpan.FromSeconds(30);

    private readonly string _storePath;
    private readonly string _lockPath;

    public FileEnclavePlatform(string homeDirectory, bool isShared)
        : base(OpenRootKey(homeDirectory), allowsUnsignedImages: false, isShared)
    {
        string home = Path.GetFullPath(homeDirectory);
        _storePath = Path.Combine(home, "platform.json");
        _lockPath = Path.Combine(home, "platform.lock");
    }

    public override string Location => _storePath;

    private protected override byte[]? ReadEntry(string name)
    {
        byte[] json = ReadStore(_storePath);
        try
        {
            return PlatformStoreFormat.ReadEntry(json, _storePath, name);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(json);
        }
    }

    private protected override byte[] UpdateEntry(string name, Func<byte[]?, byte[]> update)
    {
        using FileStream lockFile = AcquireLock();
        byte[] json = ReadStore(_storePath);
        Dictionary<string, byte[]> entries;
        try
        {
            entries = PlatformStoreFormat.ReadEntries(json, _storePath);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(json);
        }

        try
        {
            byte[]? existing = entries.Remove(name, out byte[]? value) ? value : null;
            byte[] updated = update(existing);
            if (existing is null || !existing.AsSpan().SequenceEqual(updated))
            {
                entries[name] = updated;
                Write(_storePath, RootKey, entries);
                entries.Remove(name);
            }

            if (existing is not null && !ReferenceEquals(existing, updated))
            {
                CryptographicOperations.ZeroMemory(existing);
            }

            return updated;
        }
        finally
        {
            // The caller owns what it gets; everything else read from the file is zeroed.
            foreach (byte[] stale in entries.Values)
            {
                CryptographicOperations.ZeroMemory(stale);
            }
        }
    }

    private static byte[] OpenRootKey(string homeDirectory)
    {
        string home = EnclaveGenHome.EnsurePrivateDirectory(homeDirectory, "EnclaveGen home");
        string storePath = Path.Combine(home, "platform.json");
        if (!File.Exists(storePath))
        {
            byte[] fresh = GC.AllocateArray<byte>(RootKeyLength, pinned: true);
            try
            {
                RandomNumberGenerator.Fill(fresh);
                using ZeroingBufferWriter output = new();
                PlatformStoreFormat.Write(output, fresh, []);

                // Of several processes creating the store at once, exactly one wins; the others read its key.
                AtomicFile.TryCreate(storePath, output.WrittenSpan);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(fresh);
            }
        }

        byte[] json = ReadStore(storePath);
        try
        {
            return PlatformStoreFormat.ReadRootKey(json, storePath);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(json);
        }
    }

    private static void Write(string storePath, ReadOnlySpan<byte> rootKey, Dictionary<string, byte[]> entries)
    {
        using ZeroingBufferWriter output = new();
        PlatformStoreFormat.Write(output, rootKey, entries);
        AtomicFile.WriteAllBytes(storePath, output.WrittenSpan);
    }

    private FileStream AcquireLock()
    {
        FileStreamOptions options = new() { Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = EnclaveGenHome.SecretFileMode;
        }

        Stopwatch waited = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                FileStream lockFile = new(_lockPath, options);
                if (PrivateFiles.FileProblem(_lockPath, "emulated platform's lock file", secret: false) is { } problem)
                {
                    lockFile.Dispose();
                    throw new EnclavePlatformException(problem);
                }

                return lockFile;
            }
            catch (IOException) when (waited.Elapsed < s_lockTimeout)
            {
                // Another process holds the lock (FileShare.None is an exclusive flock on Unix): retry shortly.
                Thread.Sleep(Random.Shared.Next(5, 25));
            }
        }
    }

    // The store's bytes, after checking that only this user can read or change it, in pinned memory
    // (they hold the root key's text: a collection must not move them and leave a copy). The caller zeroes them.
    private static byte[] ReadStore(string path)
    {
        try
        {
            if (PrivateFiles.FileProblem(path, StoreWhat, secret: true) is { } problem)
            {
                throw new EnclavePlatformException(problem + " Anyone who can read or replace the file can unseal this user's sealed data.");
            }

            using SafeFileHandle file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            long length = RandomAccess.GetLength(file);
            if (length > Array.MaxLength)
            {
                throw new EnclavePlatformException($"The emulated platform's store '{path}' is {length} bytes, more than one array can hold: it is not a store this platform wrote. Restore it from a backup rather than deleting it (it holds the root key of everything sealed on this platform).");
            }

            byte[] bytes = GC.AllocateArray<byte>((int)length, pinned: true);
            int read = 0;
            while (read < bytes.Length && RandomAccess.Read(file, bytes.AsSpan(read), read) is var got and > 0)
            {
                read += got;
            }

            if (read != bytes.Length)
            {
                CryptographicOperations.ZeroMemory(bytes);
                throw new EnclavePlatformException($"The emulated platform's store '{path}' ended after {read} of its {length} bytes while it was read; another process may have replaced it. Try again.");
            }

            return bytes;
        }
        catch (IOException ex)
        {
            throw new EnclavePlatformException($"The emulated platform's store '{path}' cannot be read: {ErrorText.Message(ex)}", ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new EnclavePlatformException($"The emulated platform's store '{path}' cannot be read: {ErrorText.Message(ex)}", ex);
        }
    }
}
