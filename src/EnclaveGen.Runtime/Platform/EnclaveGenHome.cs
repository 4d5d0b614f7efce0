namespace EnclaveGen.Runtime.Platform;

/// <summary>
/// The per-user EnclaveGen folder: the emulated platform's root secrets and the per-project debug
/// signing keys live here. <c>ENCLAVEGEN_HOME</c> when set, else <c>~/.enclavegen</c>. Created on
/// first use, readable by its owner only (0700 on Unix). An existing folder that another user owns
/// or can write to is refused (<see cref="EnsurePrivateDirectory"/>), as ssh refuses such a
/// <c>~/.ssh</c>: whoever can write there could plant the keys EnclaveGen would use.
/// </summary>
public static class EnclaveGenHome
{
    /// <summary>The environment variable that overrides the location.</summary>
    public const string EnvironmentVariable = "ENCLAVEGEN_HOME";

    /// <summary>Owner-only file permissions (0600) for files that hold secrets.</summary>
    public const UnixFileMode SecretFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Owner-only folder permissions (0700).</summary>
    public const UnixFileMode PrivateDirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>The folder the current user's EnclaveGen state lives in (not created).</summary>
    public static string Resolve()
    {
        string? configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return Path.GetFullPath(configured);
        }

        string profile = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (string.IsNullOrEmpty(profile))
        {
            throw new EnclavePlatformException($"There is no user profile folder to keep EnclaveGen's platform secrets in. Set {EnvironmentVariable} to a folder only you can read.");
        }

        return Path.Combine(profile, ".enclavegen");
    }

    /// <summary>
    /// Creates <paramref name="directory"/> (and its parents) if missing; a folder this call creates
    /// is owner-only (0700) on Unix.
    /// </summary>
    public static string EnsureDirectory(string directory)
    {
        string full = Path.GetFullPath(directory);
        if (!Directory.Exists(full))
        {
            if (OperatingSystem.IsWindows())
            {
                // On Windows the user profile's ACL already limits access to its owner.
                Directory.CreateDirectory(full);
            }
            else
            {
                Directory.CreateDirectory(full, PrivateDirectoryMode);
            }
        }

        return full;
    }

    /// <summary>
    /// <see cref="EnsureDirectory"/>, then refuses the folder if another user owns it or can write
    /// to it (Unix). For folders that hold keys: the home itself and its <c>debug-keys</c> folder.
    /// </summary>
    /// <param name="directory">The folder.</param>
    /// <param name="what">What it is, for the message (for example "EnclaveGen home").</param>
    /// <exception cref="EnclavePlatformException">Another user owns the folder or can write to it; the message says how to fix it.</exception>
    public static string EnsurePrivateDirectory(string directory, string what)
    {
        string full = EnsureDirectory(directory);
        if (PrivateFiles.FolderProblem(full, what) is { } problem)
        {
            throw new EnclavePlatformException(problem);
        }

        return full;
    }
}
