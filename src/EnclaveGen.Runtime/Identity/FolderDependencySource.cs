namespace EnclaveGen.Runtime.Identity;

/// <summary>Resolves a referenced assembly <c>Name</c> as the file <c>Name.dll</c> in one folder.</summary>
public sealed class FolderDependencySource : IEnclaveDependencySource
{
    /// <summary>Resolves from <paramref name="directory"/>.</summary>
    public FolderDependencySource(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory = Path.GetFullPath(directory);
    }

    /// <summary>The folder references resolve from.</summary>
    public string Directory { get; }

    /// <inheritdoc />
    public bool TryReadImage(string assemblySimpleName, out ReadOnlyMemory<byte> image)
    {
        string path = Path.Combine(Directory, assemblySimpleName + ".dll");
        if (!File.Exists(path))
        {
            image = default;
            return false;
        }

        image = File.ReadAllBytes(path);
        return true;
    }
}
