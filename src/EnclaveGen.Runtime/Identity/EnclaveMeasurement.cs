using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace EnclaveGen.Runtime.Identity;

/// <summary>
/// The one canonicaliser of enclave identity: computes MRENCLAVE for an enclave class from the
/// enclave library's image and the images of the non-framework assemblies it references. The
/// build step (<c>enclavegen sign</c>/<c>measure</c>) and the loader both call it, so they cannot
/// disagree. The exact definition is in docs/measurement.md; keep the two in step.
/// </summary>
public static class EnclaveMeasurement
{
    /// <summary>The domain-separation tag, the first field of every MRENCLAVE computation.</summary>
    public const string DomainTag = "EnclaveGen MRENCLAVE v1";

    /// <summary>Measures <paramref name="enclaveTypeName"/> in the enclave library at <paramref name="assemblyPath"/>, resolving references from its folder.</summary>
    /// <exception cref="EnclaveImageException">The file is missing or unreadable, or does not record that enclave.</exception>
    public static EnclaveMeasurementResult Measure(string assemblyPath, string enclaveTypeName)
    {
        (byte[] image, FolderDependencySource folder) = ReadLibrary(assemblyPath);
        return Measure(image, enclaveTypeName, folder, assemblyPath);
    }

    /// <summary>Measures every enclave class the library at <paramref name="assemblyPath"/> records.</summary>
    /// <exception cref="EnclaveImageException">The file is missing or unreadable.</exception>
    public static IReadOnlyList<EnclaveMeasurementResult> MeasureAll(string assemblyPath)
    {
        (byte[] image, FolderDependencySource folder) = ReadLibrary(assemblyPath);
        return MeasureAll(image, folder, assemblyPath);
    }

    /// <summary>Measures <paramref name="enclaveTypeName"/> in an image held in memory.</summary>
    /// <param name="image">The enclave library's bytes, exactly as built.</param>
    /// <param name="enclaveTypeName">Full metadata name of the enclave class.</param>
    /// <param name="dependencies">Where referenced assemblies come from.</param>
    /// <param name="source">How to name the image in errors.</param>
    /// <exception cref="EnclaveImageException">The image is unreadable or does not record that enclave.</exception>
    public static EnclaveMeasurementResult Measure(ReadOnlyMemory<byte> image, string enclaveTypeName, IEnclaveDependencySource dependencies, string source = "the enclave image")
    {
        ArgumentException.ThrowIfNullOrEmpty(enclaveTypeName);
        ArgumentNullException.ThrowIfNull(dependencies);
        EnclaveImage library = EnclaveImage.Read(image.Span, source);
        EnclaveDefinition definition = library.GetEnclave(enclaveTypeName, source);
        (MeasuredComponent self, List<MeasuredComponent> closure) = MeasureComponents(library, image, dependencies);
        return new EnclaveMeasurementResult(definition, ComputeMrenclave(definition, self, closure), self, closure);
    }

    /// <summary>Measures every enclave class an image held in memory records (none gives an empty list).</summary>
    /// <exception cref="EnclaveImageException">The image is unreadable.</exception>
    public static IReadOnlyList<EnclaveMeasurementResult> MeasureAll(ReadOnlyMemory<byte> image, IEnclaveDependencySource dependencies, string source = "the enclave image")
    {
        ArgumentNullException.ThrowIfNull(dependencies);
        EnclaveImage library = EnclaveImage.Read(image.Span, source);
        if (library.Enclaves.Count == 0)
        {
            return [];
        }

        (MeasuredComponent self, List<MeasuredComponent> closure) = MeasureComponents(library, image, dependencies);
        List<EnclaveMeasurementResult> results = [];
        foreach (EnclaveDefinition definition in library.Enclaves)
        {
            library.GetEnclave(definition.EnclaveTypeName, source);
            results.Add(new EnclaveMeasurementResult(definition, ComputeMrenclave(definition, self, closure), self, closure));
        }

        return results;
    }

    private static (byte[] Image, FolderDependencySource Folder) ReadLibrary(string assemblyPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(assemblyPath);
        string full = Path.GetFullPath(assemblyPath);
        if (!File.Exists(full))
        {
            throw new EnclaveImageException($"The enclave library '{full}' does not exist. Build the enclave project first, or check the path.");
        }

        return (File.ReadAllBytes(full), new FolderDependencySource(Path.GetDirectoryName(full)!));
    }

    /// <summary>
    /// The transitive closure of non-framework references, breadth first from the library. An
    /// assembly present in the source is hashed and its references followed; one that is absent is
    /// recorded as absent (framework-dependent shared frameworks other than Microsoft.NETCore.App,
    /// optional dependencies); framework assemblies are left out.
    /// </summary>
    private static (MeasuredComponent Self, List<MeasuredComponent> Closure) MeasureComponents(EnclaveImage library, ReadOnlyMemory<byte> image, IEnclaveDependencySource dependencies)
    {
        MeasuredComponent self = new(library.AssemblyName, EnclaveHash.Compute(image.Span), library.PdbPath);
        HashSet<string> seen = new(StringComparer.OrdinalIgnoreCase) { library.AssemblyName };
        Queue<string> pending = new(library.ReferencedAssemblies);
        List<MeasuredComponent> closure = [];
        while (pending.TryDequeue(out string? name))
        {
            if (!seen.Add(name) || FrameworkAssemblies.Contains(name) || HostSideAssemblies.Contains(name))
            {
                continue;
            }

            if (!dependencies.TryReadImage(name, out ReadOnlyMemory<byte> bytes))
            {
                closure.Add(new MeasuredComponent(name, null));
                continue;
            }

            EnclaveImage dependency = EnclaveImage.Read(bytes.Span, $"{name}.dll (referenced by the enclave)");
            closure.Add(new MeasuredComponent(name, EnclaveHash.Compute(bytes.Span), dependency.PdbPath));
            foreach (string reference in dependency.ReferencedAssemblies)
            {
                pending.Enqueue(reference);
            }
        }

        closure.Sort(static (a, b) =>
        {
            int order = StringComparer.OrdinalIgnoreCase.Compare(a.AssemblyName, b.AssemblyName);
            return order != 0 ? order : StringComparer.Ordinal.Compare(a.AssemblyName, b.AssemblyName);
        });
        return (self, closure);
    }

    private static EnclaveHash ComputeMrenclave(EnclaveDefinition definition, MeasuredComponent library, List<MeasuredComponent> dependencies)
    {
        using IncrementalHash hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> scratch = stackalloc byte[8];
        AppendString(hash, DomainTag);
        AppendString(hash, definition.EnclaveTypeName);
        BinaryPrimitives.WriteInt32LittleEndian(scratch, definition.MaxThreads);
        AppendField(hash, scratch[..4]);
        BinaryPrimitives.WriteInt64LittleEndian(scratch, definition.HeapLimitBytes);
        AppendField(hash, scratch[..8]);
        AppendComponent(hash, library);
        BinaryPrimitives.WriteUInt32LittleEndian(scratch, (uint)dependencies.Count);
        hash.AppendData(scratch[..4]);
        foreach (MeasuredComponent dependency in dependencies)
        {
            AppendComponent(hash, dependency);
        }

        return EnclaveHash.FromBytes(hash.GetHashAndReset());
    }

    private static void AppendComponent(IncrementalHash hash, MeasuredComponent component)
    {
        AppendString(hash, component.AssemblyName);
        AppendField(hash, component.ImageHash is { } value ? value.AsSpan() : []);
    }

    private static void AppendString(IncrementalHash hash, string value) => AppendField(hash, Encoding.UTF8.GetBytes(value));

    // Every field is length-prefixed (u32 little-endian), so no two inputs encode to the same bytes.
    private static void AppendField(IncrementalHash hash, ReadOnlySpan<byte> field)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(length, (uint)field.Length);
        hash.AppendData(length);
        hash.AppendData(field);
    }
}
