namespace EnclaveGen;

/// <summary>How a protected file is opened; the defaults suit most files (docs/protected-files.md).</summary>
public sealed class ProtectedFileOptions
{
    /// <summary>The smallest cache: enough for a tree path and a few blocks.</summary>
    public const int MinCacheBytes = 128 * 1024;

    /// <summary>The defaults: no counter binding, a 1 MiB cache.</summary>
    public static ProtectedFileOptions Default { get; } = new();

    /// <summary>
    /// Bind the file to a monotonic counter when it is created, so a host that hands back an older
    /// version (or hides the file) is refused with <see cref="ProtectedFileFailure.RolledBack"/>.
    /// Each commit then increments the counter. A file that has a counter keeps it: opening it
    /// checks the counter whatever this says. Needs a platform with monotonic counters.
    /// </summary>
    public bool RollbackProtection { get; init; }

    /// <summary>
    /// The most memory the file's block cache uses, in bytes (4 KiB blocks): what bounds an open
    /// file's memory, whatever its size. When changed blocks fill most of it, the file commits on
    /// its own. Default 1 MiB; at least <see cref="MinCacheBytes"/>.
    /// </summary>
    public int CacheBytes { get; init; } = 1024 * 1024;

    internal void Validate()
    {
        if (CacheBytes < MinCacheBytes)
        {
            throw new ArgumentOutOfRangeException(nameof(CacheBytes), CacheBytes, $"A protected file's cache is at least {MinCacheBytes} bytes.");
        }
    }
}
