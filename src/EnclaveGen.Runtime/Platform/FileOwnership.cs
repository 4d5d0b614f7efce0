using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace EnclaveGen.Runtime.Platform;

/// <summary>
/// Who owns a file and its permission bits, read with <c>statx</c> (Linux; the layout of
/// <c>struct statx</c> is the same on every architecture, unlike <c>struct stat</c>). .NET exposes
/// a file's mode but not its owner.
/// </summary>
internal static unsafe partial class FileOwnership
{
    private const int AtFdCwd = -100;
    private const uint StatxMode = 0x2;
    private const uint StatxUid = 0x8;
    private const int StatxSize = 256;
    private const int UidOffset = 20;
    private const int ModeOffset = 28;

    /// <summary>True where owners can be read (Linux); elsewhere only permission bits are checked.</summary>
    [SupportedOSPlatformGuard("linux")]
    public static bool OwnersKnown => OperatingSystem.IsLinux();

    /// <summary>The effective user ID of this process.</summary>
    public static uint CurrentUser => geteuid();

    /// <summary>The owner's user ID and the permission bits of <paramref name="path"/> (symbolic links followed).</summary>
    /// <exception cref="IOException">The file cannot be examined.</exception>
    public static (uint Owner, UnixFileMode Mode) Read(string path)
    {
        byte* buffer = stackalloc byte[StatxSize];
        if (statx(AtFdCwd, path, 0, StatxMode | StatxUid, buffer) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            throw new IOException($"'{path}' cannot be examined (statx failed: {Marshal.GetPInvokeErrorMessage(errno)}).");
        }

        uint owner = *(uint*)(buffer + UidOffset);
        ushort mode = *(ushort*)(buffer + ModeOffset);
        return (owner, (UnixFileMode)(mode & 0xFFF));
    }

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int statx(int dirfd, string pathname, int flags, uint mask, byte* statxbuf);

    [LibraryImport("libc")]
    private static partial uint geteuid();
}
