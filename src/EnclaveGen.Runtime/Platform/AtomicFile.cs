using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace EnclaveGen.Runtime.Platform;

/// <summary>
/// Writes a file so that a crash at any moment leaves either the old content or the new content,
/// never a torn mix: the bytes go to a temporary file in the same folder, are flushed to disk, and
/// the temporary file is renamed over the target (an atomic replace on every file system .NET
/// supports); on Unix the folder is then flushed too, so the rename itself survives power loss.
/// </summary>
public static partial class AtomicFile
{
    /// <summary>The extension of the temporary files; a crash may leave one behind, and it is safe to delete.</summary>
    public const string TemporaryExtension = ".tmp";

    /// <summary>Replaces the content of <paramref name="path"/> atomically.</summary>
    /// <param name="path">The file to write; its folder must exist.</param>
    /// <param name="content">The complete new content.</param>
    /// <param name="unixMode">Permissions of the new file on Unix (owner-only by default).</param>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> content, UnixFileMode unixMode = EnclaveGenHome.SecretFileMode)
    {
        string target = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(target) ?? throw new ArgumentException($"'{path}' has no folder.", nameof(path));
        string temporary = Path.Combine(directory, $".{Path.GetFileName(target)}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}{TemporaryExtension}");
        FileStreamOptions options = new()
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,

            // Unbuffered: the content goes straight to the file, so no FileStream buffer keeps a copy
            // of what may be key material (the caller zeroes its own buffer).
            BufferSize = 0,
        };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = unixMode;
        }

        bool renamed = false;
        try
        {
            using (FileStream stream = new(temporary, options))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, target, overwrite: true);
            renamed = true;
            FlushDirectory(directory);
        }
        finally
        {
            if (!renamed && File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }

    /// <summary>
    /// Creates <paramref name="path"/> with <paramref name="content"/> only if it does not exist yet,
    /// atomically: of several processes racing, exactly one wins and the others see its file.
    /// </summary>
    /// <returns>True when this call created the file; false when it already existed.</returns>
    public static bool TryCreate(string path, ReadOnlySpan<byte> content, UnixFileMode unixMode = EnclaveGenHome.SecretFileMode)
    {
        string target = Path.GetFullPath(path);
        if (File.Exists(target))
        {
            return false;
        }

        string directory = Path.GetDirectoryName(target) ?? throw new ArgumentException($"'{path}' has no folder.", nameof(path));
        string temporary = Path.Combine(directory, $".{Path.GetFileName(target)}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}{TemporaryExtension}");
        WriteAllBytes(temporary, content, unixMode);
        try
        {
            if (!PublishExclusively(temporary, target))
            {
                return false;
            }

            FlushDirectory(directory);
            return true;
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>
    /// Gives <paramref name="temporary"/>'s content the name <paramref name="target"/> unless that name
    /// exists, in one step the file system decides. <see cref="File.Move(string, string, bool)"/> without
    /// overwrite is not that on Unix: it checks for the target, then renames, and a racer's file that
    /// appears in between is silently replaced. link(2) fails with EEXIST instead, atomically; the
    /// caller deletes the temporary name afterwards either way.
    /// </summary>
    private static bool PublishExclusively(string temporary, string target)
    {
        if (OperatingSystem.IsWindows())
        {
            // MoveFileEx without MOVEFILE_REPLACE_EXISTING fails atomically when the target exists.
            try
            {
                File.Move(temporary, target, overwrite: false);
                return true;
            }
            catch (IOException) when (File.Exists(target))
            {
                return false;
            }
        }

        if (Link(temporary, target) == 0)
        {
            return true;
        }

        int error = Marshal.GetLastPInvokeError();
        if (error == EExist)
        {
            return false;
        }

        throw new IOException($"Could not create '{target}' (link(2) failed with errno {error}). EnclaveGen creates files it must never overwrite with a hard link; keep its home and stores on a file system that supports them, such as ext4, xfs, btrfs or tmpfs.");
    }

    // EEXIST is 17 on Linux and on macOS alike.
    private const int EExist = 17;

    internal static void FlushDirectory(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            // NTFS journals the rename itself; Windows has no handle-level fsync for folders.
            return;
        }

        // Best effort: a failure here means the rename may not survive power loss, but the file
        // content is already durable and the replace already atomic for every reader.
        int fd = Open(directory, 0 /* O_RDONLY */);
        if (fd >= 0)
        {
            _ = Fsync(fd);
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "link", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Link(string existingPath, string newPath);

    [LibraryImport("libc", EntryPoint = "fsync")]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
