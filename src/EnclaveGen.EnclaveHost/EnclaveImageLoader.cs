using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;
using System.Security.Cryptography;
using EnclaveGen.Runtime.Generated;

namespace EnclaveGen.EnclaveHost;

/// <summary>
/// Loads the enclave library the host names, from exactly the bytes whose digest the host sent
/// (read once, checked, then loaded from memory, so the file cannot change in between), and finds
/// the enclave's descriptor through the registry its generated module initializer fills.
/// </summary>
internal static class EnclaveImageLoader
{
    public static (EnclaveDescriptor Descriptor, byte[] Image) Load(string imagePath, byte[] expectedDigest, string enclaveTypeName)
    {
        byte[] image = File.ReadAllBytes(imagePath);
        if (!CryptographicOperations.FixedTimeEquals(SHA256.HashData(image), expectedDigest))
        {
            throw new EnclaveException(
                $"The enclave library '{imagePath}' is not the one the host measured (its SHA-256 differs): it changed on disk after the host loaded it. Refusing to load it.");
        }

        EnclaveLoadContext context = new(imagePath);
        Assembly assembly = context.LoadFromStream(new MemoryStream(image, writable: false));
        RuntimeHelpers.RunModuleConstructor(assembly.ManifestModule.ModuleHandle);
        EnclaveDescriptor descriptor = EnclaveRegistry.Find(enclaveTypeName)
            ?? throw new EnclaveException(
                $"The enclave library '{imagePath}' does not register an enclave named '{enclaveTypeName}'. " +
                "It was not built with the EnclaveGen generator, or with a different version of it.");
        return (descriptor, image);
    }

    /// <summary>
    /// The enclave library's own load context. Whatever this process already knows (the runtime,
    /// EnclaveGen.Runtime above all, whose registry must be one) comes from the default context;
    /// anything else is looked up next to the enclave library.
    /// </summary>
    private sealed class EnclaveLoadContext : AssemblyLoadContext
    {
        private readonly string _folder;
        private readonly AssemblyDependencyResolver? _resolver;
        private readonly HashSet<string> _shared;

        public EnclaveLoadContext(string imagePath)
            : base("EnclaveGen enclave", isCollectible: false)
        {
            _folder = Path.GetDirectoryName(imagePath) ?? ".";
            _resolver = File.Exists(Path.ChangeExtension(imagePath, ".deps.json")) ? new AssemblyDependencyResolver(imagePath) : null;
            string trusted = AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string ?? "";
            _shared = trusted.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
                .Select(Path.GetFileNameWithoutExtension)
                .OfType<string>()
                .ToHashSet(StringComparer.OrdinalIgnoreCase);
        }

        protected override Assembly? Load(AssemblyName assemblyName)
        {
            if (assemblyName.Name is not { } name || _shared.Contains(name))
            {
                return null;
            }

            string? path = _resolver?.ResolveAssemblyToPath(assemblyName);
            path ??= Path.Combine(_folder, name + ".dll");
            return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
        }

        protected override nint LoadUnmanagedDll(string unmanagedDllName) =>
            _resolver?.ResolveUnmanagedDllToPath(unmanagedDllName) is { } path ? LoadUnmanagedDllFromPath(path) : 0;
    }
}
