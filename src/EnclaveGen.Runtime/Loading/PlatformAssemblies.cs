using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Runtime.Loader;
using EnclaveGen.Runtime.Identity;

namespace EnclaveGen.Runtime.Loading;

/// <summary>
/// EnclaveGen.Runtime and the assemblies outside the .NET framework it references: the emulated
/// CPU. One copy of each runs per process, shared by the host and every enclave in it (their types
/// cross between the runtime and generated code), so an enclave load context takes them from the
/// runtime's own load context, after checking they are the bytes the enclave's measurement hashed.
/// The runtime's host-side libraries (<see cref="HostSideAssemblies"/>) are not part of it: they are
/// not measured, so they are neither loaded nor served here (an enclave process must never load them).
/// </summary>
internal static class PlatformAssemblies
{
    private static readonly Lazy<Dictionary<string, Assembly>> s_assemblies = new(FindAll);
    private static readonly ConcurrentDictionary<string, EnclaveHash> s_imageHashes = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The platform's copy of <paramref name="simpleName"/>, when it is a platform assembly.</summary>
    public static bool TryFind(string simpleName, out Assembly assembly) => s_assemblies.Value.TryGetValue(simpleName, out assembly!);

    /// <summary>
    /// SHA-256 of the file this process loaded the platform assembly from, read once per process; null
    /// when it has no file (bundled into a single-file app).
    /// </summary>
    public static EnclaveHash? ImageHash(Assembly assembly)
    {
        string name = assembly.GetName().Name ?? "";
#pragma warning disable IL3000 // An empty location is the single-file case, answered with null.
        string location = assembly.Location;
#pragma warning restore IL3000
        if (string.IsNullOrEmpty(location))
        {
            return null;
        }

        return s_imageHashes.GetOrAdd(name, _ => EnclaveHash.Compute(File.ReadAllBytes(location)));
    }

    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "The references of loaded assemblies are read, not their members; a reference the trimmer removed is simply not followed.")]
    private static Dictionary<string, Assembly> FindAll()
    {
        Assembly runtime = typeof(PlatformAssemblies).Assembly;
        AssemblyLoadContext context = AssemblyLoadContext.GetLoadContext(runtime) ?? AssemblyLoadContext.Default;
        Dictionary<string, Assembly> found = new(StringComparer.OrdinalIgnoreCase) { [runtime.GetName().Name!] = runtime };
        Queue<Assembly> pending = new([runtime]);
        while (pending.TryDequeue(out Assembly? assembly))
        {
            foreach (AssemblyName reference in assembly.GetReferencedAssemblies())
            {
                if (reference.Name is not { } name || FrameworkAssemblies.Contains(name) || HostSideAssemblies.Contains(name) || found.ContainsKey(name))
                {
                    continue;
                }

                Assembly loaded;
                try
                {
                    loaded = context.LoadFromAssemblyName(reference);
                }
                catch (FileNotFoundException)
                {
                    // Referenced but not deployed (an optional dependency of a dependency): not part of the platform.
                    continue;
                }

                found[name] = loaded;
                pending.Enqueue(loaded);
            }
        }

        return found;
    }
}
