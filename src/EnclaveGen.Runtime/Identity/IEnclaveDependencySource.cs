namespace EnclaveGen.Runtime.Identity;

/// <summary>
/// Where the measurement finds the images of the assemblies an enclave library references. The
/// build step and the loader both resolve from the folder the enclave library sits in
/// (<see cref="FolderDependencySource"/>); unit tests pass images in memory.
/// </summary>
public interface IEnclaveDependencySource
{
    /// <summary>Reads the image of the assembly with this simple name; false when there is none.</summary>
    bool TryReadImage(string assemblySimpleName, out ReadOnlyMemory<byte> image);
}
