using System.Globalization;

namespace EnclaveGen.Runtime.Platform;

/// <summary>
/// The permission rules for the EnclaveGen home and the keys in it, as ssh applies them to
/// <c>~/.ssh</c>: a folder or key file that another user owns, or can write to, may hold what that
/// user planted (a platform store whose root key they know, a signing key of theirs), so it is
/// refused; a secret file that others can read is refused too. Owner and permissions are checked
/// on Unix (owners on Linux, where <c>statx</c> reports them); on Windows the user profile's ACL
/// applies. Root may own what a user uses, as ssh allows: root can read it anyway.
/// </summary>
internal static class PrivateFiles
{
    private const UnixFileMode WritableByOthers = UnixFileMode.GroupWrite | UnixFileMode.OtherWrite;
    private const UnixFileMode AccessibleToOthers = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>What is wrong with the folder at <paramref name="path"/>, or null when only its owner can change it.</summary>
    /// <param name="path">An existing folder.</param>
    /// <param name="what">What it is, for the message ("EnclaveGen home").</param>
    public static string? FolderProblem(string path, string what) => Problem(path, what, folder: true, secret: false);

    /// <summary>What is wrong with the file at <paramref name="path"/>, or null when it is its owner's alone.</summary>
    /// <param name="path">An existing file.</param>
    /// <param name="what">What it is, for the message ("debug signing key").</param>
    /// <param name="secret">True for a file others must not read either (keys); false for one they must only not change.</param>
    public static string? FileProblem(string path, string what, bool secret) => Problem(path, what, folder: false, secret);

    private static string? Problem(string path, string what, bool folder, bool secret)
    {
        if (OperatingSystem.IsWindows())
        {
            return null;
        }

        UnixFileMode mode;
        if (FileOwnership.OwnersKnown)
        {
            (uint owner, mode) = FileOwnership.Read(path);
            uint me = FileOwnership.CurrentUser;
            if (owner != me && owner != 0)
            {
                return $"The {what} '{path}' is owned by user {owner}, not by you (user {me}): another user may have planted it, so EnclaveGen will not use it. " +
                    $"If it is yours, run: chown {me} '{path}'; if not, remove it{(folder ? $", or set {EnclaveGenHome.EnvironmentVariable} to a folder of your own" : string.Empty)}.";
            }
        }
        else
        {
            mode = File.GetUnixFileMode(path);
        }

        UnixFileMode forbidden = secret ? AccessibleToOthers : WritableByOthers;
        if ((mode & forbidden) != 0)
        {
            string octal = "0" + Convert.ToString((int)mode & 0x1FF, 8).PadLeft(3, '0');
            string risk = (mode & WritableByOthers) != 0
                ? $"other users can write to it and plant {(folder ? "keys and a platform store" : "a key")} that EnclaveGen would use"
                : "other users can read it";
            string fix = folder ? "chmod 700" : "chmod 600";
            return string.Create(CultureInfo.InvariantCulture, $"Permissions {octal} for the {what} '{path}' are too open: {risk}. EnclaveGen will not use it until only you can {(secret ? "access" : "change")} it. Run: {fix} '{path}'");
        }

        return null;
    }
}
