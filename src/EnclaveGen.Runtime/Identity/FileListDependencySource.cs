namespace EnclaveGen.Runtime.Identity;

/// <summary>
/// Resolves referenced assemblies from an explicit list of files: <c>Name</c> is the listed file
/// <c>Name.dll</c>. The build step signs before the output folder is filled, so it passes the
/// files MSBuild is about to copy next to the enclave library (ReferenceCopyLocalPaths): the same
/// set the loader later finds in that folder.
/// </summary>
public sealed class FileListDependencySource : IEnclaveDependencySource
{
    private readonly Dictionary<string, string> _paths = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Resolves from <paramref name="paths"/>; files that do not end in .dll are ignored.</summary>
    public FileListDependencySource(IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        foreach (string path in paths)
        {
            if (path.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
            {
                // Later entries win, as a later copy to the output folder would.
                _paths[Path.GetFileNameWithoutExtension(path)] = Path.GetFullPath(path);
            }
        }
    }

    /// <inheritdoc />
    public bool TryReadImage(string assemblySimpleName, out ReadOnlyMemory<byte> image)
    {
        if (_paths.TryGetValue(assemblySimpleName, out string? path) && File.Exists(path))
        {
            image = File.ReadAllBytes(path);
            return true;
        }

        image = default;
        return false;
    }
}
