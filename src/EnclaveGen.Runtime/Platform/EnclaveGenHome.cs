namespace EnclaveGen.Runtime.Platform;

/// <summary>
/// The per-user EnclaveGen folder: the emulated platform's root secrets and the per-project debug
/// signing keys live here. <c>ENCLAVEGEN_HOME</c> when set, else <c>~/.enclavegen</c>. Created on
/// first use, readable by its owner only (0700 on Unix).
/// </summary>
public static class EnclaveGenHome
{
    /// <summary>The environment variable that overrides the location.</summary>
    public const string EnvironmentVariable = "ENCLAVEGEN_HOME";

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
                Directory.CreateDirectory(full, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }

        return full;
    }

    /// <summary>Owner-only file permissions (0600) for files that hold secrets.</summary>
    public const UnixFileMode SecretFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
}
