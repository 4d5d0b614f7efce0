using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using EnclaveGen.Runtime.Generated;
using EnclaveGen.Runtime.Identity;

namespace EnclaveGen.Runtime.Loading;

/// <summary>
/// An enclave library and the dependencies its measurement covers, each read exactly once, measured
/// and checked against the signature: nothing of it has run yet. <see cref="Load"/> then runs those
/// bytes, and only those, in a load context of the enclave's own.
/// </summary>
internal sealed class VerifiedImage
{
    private readonly string _assemblyName;
    private readonly byte[] _library;
    private readonly IReadOnlyDictionary<string, ReadOnlyMemory<byte>?> _dependencies;

    private VerifiedImage(EnclaveIdentity identity, string assemblyName, byte[] library, IReadOnlyDictionary<string, ReadOnlyMemory<byte>?> dependencies)
    {
        Identity = identity;
        _assemblyName = assemblyName;
        _library = library;
        _dependencies = dependencies;
    }

    /// <summary>Who the enclave is, as measured and signed.</summary>
    public EnclaveIdentity Identity { get; }

    /// <summary>
    /// Reads the enclave library at <paramref name="imagePath"/> and, through the measurement, the
    /// dependencies beside it; checks the library's SHA-256 against <paramref name="expectedDigest"/>
    /// when one is given, and the measurement against the signature file.
    /// </summary>
    /// <exception cref="EnclaveSignatureException">The image or its signature does not verify, or there is no signature file and unsigned images are not allowed.</exception>
    /// <exception cref="EnclaveImageException">The image is missing or not an enclave library.</exception>
    public static VerifiedImage Read(string imagePath, string enclaveTypeName, bool allowUnsigned, ReadOnlySpan<byte> expectedDigest = default)
    {
        (string full, byte[] library) = EnclaveImageVerifier.ReadLibrary(imagePath);
        if (!expectedDigest.IsEmpty && !CryptographicOperations.FixedTimeEquals(SHA256.HashData(library), expectedDigest))
        {
            throw new EnclaveImageException(
                $"The enclave library '{full}' is not the one the host verified (its SHA-256 differs): it changed on disk after the host loaded it. Refusing to load it.");
        }

        MeasuredDependencySource dependencies = new(new FolderDependencySource(Path.GetDirectoryName(full)!));
        EnclaveIdentity identity = EnclaveImageVerifier.VerifyFile(library, full, enclaveTypeName, dependencies, allowUnsigned);
        return new VerifiedImage(identity, EnclaveImage.Read(library, full).AssemblyName, library, dependencies.Read);
    }

    /// <summary>
    /// Loads the verified bytes into a new load context of the enclave's own, runs the library's
    /// module initializer (generated code registers the enclave there), and finds its descriptor.
    /// </summary>
    /// <param name="collectible">Whether the context unloads once the enclave is gone (in-process); an enclave process keeps it for life.</param>
    public LoadedEnclave Load(bool collectible)
    {
        EnclaveLoadContext context = new(Identity.EnclaveTypeName, _assemblyName, _library, _dependencies, collectible);
        try
        {
            System.Reflection.Assembly assembly = context.LoadLibrary();
            RuntimeHelpers.RunModuleConstructor(assembly.ManifestModule.ModuleHandle);
            EnclaveDescriptor descriptor = EnclaveRegistry.Find(assembly, Identity.EnclaveTypeName)
                ?? throw new EnclaveImageException(
                    $"The enclave library '{_assemblyName}' does not register an enclave named '{Identity.EnclaveTypeName}'. " +
                    "It was not built with the EnclaveGen generator, or with a different version of it.");
            return new LoadedEnclave(Identity, descriptor, context);
        }
        catch
        {
            if (collectible)
            {
                context.Unload();
            }

            throw;
        }
    }
}

/// <summary>An enclave whose verified image runs in its own load context.</summary>
internal sealed record LoadedEnclave(EnclaveIdentity Identity, EnclaveDescriptor Descriptor, EnclaveLoadContext Context);
