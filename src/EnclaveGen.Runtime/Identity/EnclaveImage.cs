using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using EnclaveGen.Attestation;

namespace EnclaveGen.Runtime.Identity;

/// <summary>
/// What the measurement needs from an assembly's metadata, read with System.Reflection.Metadata
/// without loading the assembly: its name, the assemblies it references, and the enclave classes
/// it defines with their configuration (<c>EnclaveDefinitionAttribute</c>).
/// </summary>
public sealed class EnclaveImage
{
    private const string DefinitionNamespace = "EnclaveGen.Runtime.Generated";
    private const string DefinitionName = "EnclaveDefinitionAttribute";

    private readonly HashSet<string> _typeNames;

    private EnclaveImage(string assemblyName, IReadOnlyList<string> references, IReadOnlyList<EnclaveDefinition> enclaves, HashSet<string> typeNames, string? pdbPath)
    {
        AssemblyName = assemblyName;
        PdbPath = pdbPath;
        ReferencedAssemblies = references;
        Enclaves = enclaves;
        _typeNames = typeNames;
    }

    /// <summary>
    /// The PDB path the PE debug directory records (CodeView entry), or null. An absolute path of
    /// this machine means the image's bytes depend on the folder it was built in.
    /// </summary>
    public string? PdbPath { get; }

    /// <summary>The assembly's simple name.</summary>
    public string AssemblyName { get; }

    /// <summary>Simple names of the assemblies this one references, in metadata order.</summary>
    public IReadOnlyList<string> ReferencedAssemblies { get; }

    /// <summary>The enclave classes the image records, in metadata order.</summary>
    public IReadOnlyList<EnclaveDefinition> Enclaves { get; }

    /// <summary>True when the image defines a type with this full metadata name (nested types use <c>+</c>).</summary>
    public bool DefinesType(string fullName) => _typeNames.Contains(fullName);

    /// <summary>The definition of <paramref name="enclaveTypeName"/>.</summary>
    /// <exception cref="EnclaveImageException">The image records no such enclave, or does not define the class.</exception>
    public EnclaveDefinition GetEnclave(string enclaveTypeName, string source)
    {
        EnclaveDefinition? found = null;
        foreach (EnclaveDefinition definition in Enclaves)
        {
            if (string.Equals(definition.EnclaveTypeName, enclaveTypeName, StringComparison.Ordinal))
            {
                if (found is not null)
                {
                    throw new EnclaveImageException($"{source} records enclave '{enclaveTypeName}' twice (two EnclaveDefinition attributes). The generator writes one per enclave class; remove the hand-written one.");
                }

                found = definition;
            }
        }

        if (found is null)
        {
            string known = Enclaves.Count == 0 ? "none" : string.Join(", ", Enclaves.Select(e => e.EnclaveTypeName));
            throw new EnclaveImageException($"{source} records no enclave '{enclaveTypeName}' (enclaves it records: {known}). Check the type name, and that the library was built with the EnclaveGen generator.");
        }

        if (!DefinesType(enclaveTypeName))
        {
            throw new EnclaveImageException($"{source} records enclave '{enclaveTypeName}' but does not define that type. The EnclaveDefinition attribute must name a class of the same assembly.");
        }

        return found;
    }

    /// <summary>Reads the metadata of an image.</summary>
    /// <param name="image">The assembly file's bytes.</param>
    /// <param name="source">How to name the image in errors (a path or a description).</param>
    /// <exception cref="EnclaveImageException">The bytes are not a .NET assembly, or an EnclaveDefinition attribute is unreadable.</exception>
    public static unsafe EnclaveImage Read(ReadOnlySpan<byte> image, string source)
    {
        if (image.IsEmpty)
        {
            throw new EnclaveImageException($"{source} is empty: it is not a .NET assembly.");
        }

        try
        {
            fixed (byte* start = image)
            {
                using PEReader pe = new(start, image.Length);
                if (!pe.HasMetadata)
                {
                    throw new EnclaveImageException($"{source} is not a .NET assembly (a PE file without metadata).");
                }

                MetadataReader reader = pe.GetMetadataReader();
                if (!reader.IsAssembly)
                {
                    throw new EnclaveImageException($"{source} is a .NET module, not an assembly.");
                }

                string name = reader.GetString(reader.GetAssemblyDefinition().Name);
                List<string> references = [];
                foreach (AssemblyReferenceHandle handle in reader.AssemblyReferences)
                {
                    references.Add(reader.GetString(reader.GetAssemblyReference(handle).Name));
                }

                string? pdbPath = null;
                foreach (DebugDirectoryEntry entry in pe.ReadDebugDirectory())
                {
                    if (entry.Type == DebugDirectoryEntryType.CodeView)
                    {
                        pdbPath = pe.ReadCodeViewDebugDirectoryData(entry).Path;
                        break;
                    }
                }

                return new EnclaveImage(name, references, ReadDefinitions(reader, source), ReadTypeNames(reader), pdbPath);
            }
        }
        catch (BadImageFormatException ex)
        {
            throw new EnclaveImageException($"{source} is not a readable .NET assembly: {ErrorText.Message(ex)}", ex);
        }
        catch (InvalidOperationException ex)
        {
            // PEReader reports a PE file whose headers it cannot parse with InvalidOperationException.
            throw new EnclaveImageException($"{source} is not a readable .NET assembly: {ErrorText.Message(ex)}", ex);
        }
    }

    private static List<EnclaveDefinition> ReadDefinitions(MetadataReader reader, string source)
    {
        List<EnclaveDefinition> definitions = [];
        foreach (CustomAttributeHandle handle in reader.GetAssemblyDefinition().GetCustomAttributes())
        {
            CustomAttribute attribute = reader.GetCustomAttribute(handle);
            if (!IsDefinitionAttribute(reader, attribute.Constructor, out BlobHandle signature))
            {
                continue;
            }

            if (!HasExpectedConstructor(reader.GetBlobReader(signature)))
            {
                throw new EnclaveImageException($"{source} has an EnclaveDefinition attribute with a constructor this runtime does not know. It reads (string enclaveTypeName, int maxThreads, long heapLimitBytes): use matching versions of the EnclaveGen package and runtime.");
            }

            BlobReader value = reader.GetBlobReader(attribute.Value);
            if (value.Length < 2 || value.ReadUInt16() != 1)
            {
                throw new EnclaveImageException($"{source} has a malformed EnclaveDefinition attribute blob (bad prolog).");
            }

            string? typeName = value.ReadSerializedString();
            if (string.IsNullOrEmpty(typeName) || value.RemainingBytes < 12)
            {
                throw new EnclaveImageException($"{source} has a malformed EnclaveDefinition attribute: the enclave type name is missing or the arguments are cut short.");
            }

            definitions.Add(new EnclaveDefinition(typeName, value.ReadInt32(), value.ReadInt64()));
        }

        return definitions;
    }

    private static bool IsDefinitionAttribute(MetadataReader reader, EntityHandle constructor, out BlobHandle signature)
    {
        signature = default;
        EntityHandle parent;
        switch (constructor.Kind)
        {
            case HandleKind.MemberReference:
                MemberReference member = reader.GetMemberReference((MemberReferenceHandle)constructor);
                parent = member.Parent;
                signature = member.Signature;
                break;
            case HandleKind.MethodDefinition:
                MethodDefinition method = reader.GetMethodDefinition((MethodDefinitionHandle)constructor);
                parent = method.GetDeclaringType();
                signature = method.Signature;
                break;
            default:
                return false;
        }

        return parent.Kind switch
        {
            HandleKind.TypeReference => IsDefinitionType(reader, reader.GetTypeReference((TypeReferenceHandle)parent).Namespace, reader.GetTypeReference((TypeReferenceHandle)parent).Name),
            HandleKind.TypeDefinition => IsDefinitionType(reader, reader.GetTypeDefinition((TypeDefinitionHandle)parent).Namespace, reader.GetTypeDefinition((TypeDefinitionHandle)parent).Name),
            _ => false,
        };
    }

    private static bool IsDefinitionType(MetadataReader reader, StringHandle ns, StringHandle name)
        => reader.StringComparer.Equals(name, DefinitionName) && reader.StringComparer.Equals(ns, DefinitionNamespace);

    private static bool HasExpectedConstructor(BlobReader signature)
    {
        SignatureHeader header = signature.ReadSignatureHeader();
        if (header.Kind != SignatureKind.Method || header.IsGeneric || signature.ReadCompressedInteger() != 3)
        {
            return false;
        }

        return signature.ReadSignatureTypeCode() == SignatureTypeCode.Void
            && signature.ReadSignatureTypeCode() == SignatureTypeCode.String
            && signature.ReadSignatureTypeCode() == SignatureTypeCode.Int32
            && signature.ReadSignatureTypeCode() == SignatureTypeCode.Int64;
    }

    private static HashSet<string> ReadTypeNames(MetadataReader reader)
    {
        HashSet<string> names = new(StringComparer.Ordinal);
        foreach (TypeDefinitionHandle handle in reader.TypeDefinitions)
        {
            names.Add(FullName(reader, handle));
        }

        return names;
    }

    private static string FullName(MetadataReader reader, TypeDefinitionHandle handle)
    {
        TypeDefinition type = reader.GetTypeDefinition(handle);
        string name = reader.GetString(type.Name);
        TypeDefinitionHandle declaring = type.GetDeclaringType();
        if (!declaring.IsNil)
        {
            return FullName(reader, declaring) + "+" + name;
        }

        string ns = reader.GetString(type.Namespace);
        return ns.Length == 0 ? name : ns + "." + name;
    }
}
