using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;
using EnclaveGen.Runtime.Identity;

namespace EnclaveGen.Runtime.Loading;

/// <summary>
/// The enclave's own assembly load context: it holds the enclave library and its dependencies as
/// the very bytes the measurement hashed, and resolves every other name by a fixed rule, never by
/// looking in a folder.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>A name in the measured set loads from its measured bytes (read once, before the
/// signature check; a file changed since then is never read again).</item>
/// <item>EnclaveGen.Runtime and its non-framework references (<see cref="PlatformAssemblies"/>) are
/// the process's own copies, if their files hash to what was measured (or the measurement recorded
/// them absent: the signer measured the enclave without them).</item>
/// <item>A framework name (<see cref="FrameworkAssemblies"/>) loads from the shared framework's
/// folder, never from the app's.</item>
/// <item>Anything else (a name the measurement found absent, one it never saw, or one of the
/// runtime's unmeasured host-side libraries, <see cref="HostSideAssemblies"/>) is refused.</item>
/// </list>
/// Native libraries load only from the shared framework's folder: native code is not measured.
/// </remarks>
internal sealed class EnclaveLoadContext : AssemblyLoadContext
{
    private static readonly string s_sharedFramework = Path.TrimEndingDirectorySeparator(RuntimeEnvironment.GetRuntimeDirectory());
    private static readonly Lazy<Dictionary<string, string>> s_trustedPlatformAssemblies = new(ReadTrustedPlatformAssemblies);

    // Loading assemblies at run time is what this class is for. The enclave library and every
    // assembly its measurement covers are kept out of trimming by the EnclaveGen publish targets; a
    // trimmed copy would not match its measurement and would never load (NativeAOT is refused).
    private const string TrimmingJustification = "Enclave images and what they measure are not trimmed; a trimmed copy fails its measurement before it loads.";

    // What a refusal tells the enclave's author to do, unless a rule has a more specific step.
    private const string DefaultNextStep =
        "if it belongs there, reference it from the enclave library, rebuild (the build step signs it again) and deploy the output together";

    private readonly string _enclaveTypeName;
    private readonly string _libraryName;
    private readonly Lock _lock = new();

    // What the measurement read and nothing has loaded yet (null: measured as absent). An entry's
    // bytes are dropped once they are loaded, which copies them into the runtime's own memory.
    private readonly Dictionary<string, ReadOnlyMemory<byte>?> _unloaded;
    private readonly Dictionary<string, Assembly> _loaded = new(StringComparer.OrdinalIgnoreCase);

    public EnclaveLoadContext(string enclaveTypeName, string libraryName, ReadOnlyMemory<byte> library, IReadOnlyDictionary<string, ReadOnlyMemory<byte>?> measured, bool collectible)
        : base($"EnclaveGen enclave {enclaveTypeName}", collectible)
    {
        _enclaveTypeName = enclaveTypeName;
        _libraryName = libraryName;
        _unloaded = new Dictionary<string, ReadOnlyMemory<byte>?>(measured, StringComparer.OrdinalIgnoreCase) { [libraryName] = library };
    }

    /// <summary>Loads the enclave library itself from its measured bytes.</summary>
    public Assembly LoadLibrary() => LoadFromAssemblyName(new AssemblyName(_libraryName));

    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = TrimmingJustification)]
    protected override Assembly? Load(AssemblyName assemblyName)
    {
        string name = assemblyName.Name ?? throw Refuse("(an assembly without a name)", "it has no name");
        lock (_lock)
        {
            if (_loaded.TryGetValue(name, out Assembly? loaded))
            {
                return loaded;
            }

            if (FrameworkAssemblies.Contains(name))
            {
                return LoadFromSharedFramework(name);
            }

            if (HostSideAssemblies.Contains(name))
            {
                throw Refuse(
                    name,
                    "it is a library the EnclaveGen runtime uses on the host's side only (logging), which MRENCLAVE leaves out (HostSideAssemblies)",
                    "to log from trusted code, pass the text to the host through an [Untrusted] method and log there");
            }

            if (!_unloaded.TryGetValue(name, out ReadOnlyMemory<byte>? measured))
            {
                throw Refuse(name, "it is not part of the enclave's measured image (no assembly the enclave library references, directly or not, has that name)");
            }

            if (PlatformAssemblies.TryFind(name, out Assembly platform))
            {
                loaded = CheckPlatform(name, platform, measured);
            }
            else if (measured is { } bytes)
            {
                loaded = LoadFromStream(Stream(bytes));
            }
            else
            {
                throw Refuse(name, "it was absent when the enclave was measured, so the measurement covers none of its code; it may have been added beside the enclave since");
            }

            _loaded[name] = loaded;
            _unloaded.Remove(name);
            return loaded;
        }
    }

    protected override nint LoadUnmanagedDll(string unmanagedDllName)
    {
        foreach (string candidate in (string[])[unmanagedDllName, $"lib{unmanagedDllName}.so", $"{unmanagedDllName}.so", $"lib{unmanagedDllName}.dylib", $"{unmanagedDllName}.dll"])
        {
            string path = Path.Combine(s_sharedFramework, candidate);
            if (Path.GetFileName(candidate) == candidate && File.Exists(path))
            {
                return LoadUnmanagedDllFromPath(path);
            }
        }

        throw new DllNotFoundException(
            $"Enclave '{_enclaveTypeName}' may not load the native library '{unmanagedDllName}': native code is not part of an enclave's measurement, " +
            $"so inside the enclave only the shared framework's own native libraries (in '{s_sharedFramework}') load. Move the native work to the host, behind an [Untrusted] method.");
    }

    private static MemoryStream Stream(ReadOnlyMemory<byte> bytes) =>
        MemoryMarshal.TryGetArray(bytes, out ArraySegment<byte> segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(bytes.ToArray(), writable: false);

    private static Dictionary<string, string> ReadTrustedPlatformAssemblies()
    {
        string list = AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string ?? "";
        Dictionary<string, string> paths = new(StringComparer.OrdinalIgnoreCase);
        foreach (string path in list.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            paths.TryAdd(Path.GetFileNameWithoutExtension(path), path);
        }

        return paths;
    }

    private static bool InSharedFramework(string path) =>
        string.Equals(Path.GetDirectoryName(Path.GetFullPath(path)), s_sharedFramework, StringComparison.Ordinal);

    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = TrimmingJustification)]
    private Assembly? LoadFromSharedFramework(string name)
    {
        // The default context serves the name from the shared framework: share its copy (returning
        // null hands the name to it). Otherwise (the app carries a file of that name, which the
        // default context prefers, or none at all) load the shared framework's file into this context.
        Assembly? loaded = Default.Assemblies.FirstOrDefault(a => string.Equals(a.GetName().Name, name, StringComparison.OrdinalIgnoreCase));
#pragma warning disable IL3000 // Framework assemblies are files in the shared framework's folder; an empty location fails the check.
        if (loaded is not null ? InSharedFramework(loaded.Location) : s_trustedPlatformAssemblies.Value.TryGetValue(name, out string? trusted) && InSharedFramework(trusted))
#pragma warning restore IL3000
        {
            return null;
        }

        string path = Path.Combine(s_sharedFramework, name + ".dll");
        return File.Exists(path)
            ? LoadFromAssemblyPath(path)
            : throw Refuse(name, $"it is a .NET framework name, and framework assemblies load only from the shared framework ('{s_sharedFramework}'), which has no such file");
    }

    private Assembly CheckPlatform(string name, Assembly platform, ReadOnlyMemory<byte>? measured)
    {
        if (measured is not { } bytes)
        {
            return platform;
        }

        EnclaveHash expected = EnclaveHash.Compute(bytes.Span);
        EnclaveHash? running = PlatformAssemblies.ImageHash(platform);
        if (running == expected)
        {
            return platform;
        }

#pragma warning disable IL3000 // Only named in the message.
        string where = string.IsNullOrEmpty(platform.Location) ? "a single-file bundle" : platform.Location;
#pragma warning restore IL3000
        throw Refuse(
            name,
            $"the enclave was measured with {name} {expected}, but this process runs {name} from {where} ({running?.ToString() ?? "no file to hash"}). " +
            "Deploy the enclave with the EnclaveGen runtime it was built and signed with");
    }

    private FileNotFoundException Refuse(string name, string why, string nextStep = DefaultNextStep) => new(
        $"Enclave '{_enclaveTypeName}' refused to load assembly '{name}': {why}. Code outside the measured image never runs inside an enclave; {nextStep}.",
        name);
}
