using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text.Json;
using EnclaveGen.Attestation;

namespace EnclaveGen.Cli.Commands.Boundary;

/// <summary>
/// Reads the boundary manifests of an enclave library from its metadata with
/// System.Reflection.Metadata: the constant <c>EnclaveGenBoundary</c> that the generator adds to each
/// [Enclave] class. Nothing is loaded and no code of the library runs, so a reviewer can look at an
/// assembly they do not trust.
/// </summary>
internal static class BoundaryReader
{
    /// <summary>The name of the constant (the generator's <c>Names.Boundary</c>).</summary>
    public const string ConstantName = "EnclaveGenBoundary";

    /// <summary>The format version this reader understands.</summary>
    public const int FormatVersion = 1;

    /// <summary>The manifests of every enclave class of <paramref name="path"/>, in metadata order.</summary>
    /// <exception cref="BoundaryReadException">The file cannot be read, is not a .NET assembly, or records no boundary this reader understands.</exception>
    public static IReadOnlyList<BoundaryManifest> Read(string path)
    {
        List<(string Type, string Json)> constants;
        try
        {
            using FileStream stream = File.OpenRead(path);
            using PEReader pe = new(stream);
            if (!pe.HasMetadata)
            {
                throw new BoundaryReadException($"'{path}' is not a .NET assembly (it has no metadata). Give the enclave library's .dll from its build output.");
            }

            constants = Constants(pe.GetMetadataReader());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or BadImageFormatException)
        {
            throw new BoundaryReadException($"cannot read '{path}': {ErrorText.Message(e)}");
        }

        if (constants.Count == 0)
        {
            throw new BoundaryReadException(
                $"'{path}' records no enclave boundary (no {ConstantName} constant): it is not an enclave library, or it was built by an EnclaveGen generator older than this tool. Rebuild it with this EnclaveGen version.");
        }

        return [.. constants.Select(c => Parse(path, c.Type, c.Json))];
    }

    private static BoundaryManifest Parse(string path, string type, string json)
    {
        int version;
        try
        {
            using JsonDocument document = JsonDocument.Parse(json);
            version = document.RootElement.TryGetProperty("version", out JsonElement v) && v.TryGetInt32(out int number) ? number : 0;
        }
        catch (JsonException e)
        {
            throw new BoundaryReadException($"'{path}': the boundary of {type} is not JSON ({ErrorText.Message(e)}). Rebuild the library.");
        }

        if (version != FormatVersion)
        {
            throw new BoundaryReadException(
                $"'{path}': the boundary of {type} is in format version {version}, and this enclavegen reads version {FormatVersion}. Use the enclavegen of the EnclaveGen version that built the library.");
        }

        try
        {
            return JsonSerializer.Deserialize(json, BoundaryJsonContext.Default.BoundaryManifest)
                ?? throw new BoundaryReadException($"'{path}': the boundary of {type} is empty. Rebuild the library.");
        }
        catch (JsonException e)
        {
            throw new BoundaryReadException($"'{path}': the boundary of {type} lacks a field of format version {FormatVersion} ({ErrorText.Message(e)}). Rebuild the library.");
        }
    }

    /// <summary>Every type's <see cref="ConstantName"/> string constant, with the type's full name.</summary>
    private static List<(string Type, string Json)> Constants(MetadataReader metadata)
    {
        List<(string, string)> found = [];
        foreach (TypeDefinitionHandle handle in metadata.TypeDefinitions)
        {
            TypeDefinition type = metadata.GetTypeDefinition(handle);
            foreach (FieldDefinitionHandle fieldHandle in type.GetFields())
            {
                FieldDefinition field = metadata.GetFieldDefinition(fieldHandle);
                if (!metadata.StringComparer.Equals(field.Name, ConstantName) || field.GetDefaultValue() is not { IsNil: false } constantHandle)
                {
                    continue;
                }

                Constant constant = metadata.GetConstant(constantHandle);
                if (constant.TypeCode == ConstantTypeCode.String)
                {
                    BlobReader blob = metadata.GetBlobReader(constant.Value);
                    found.Add((FullName(metadata, type), blob.ReadUTF16(blob.Length)));
                }
            }
        }

        return found;
    }

    private static string FullName(MetadataReader metadata, TypeDefinition type)
    {
        string name = metadata.GetString(type.Name);
        TypeDefinitionHandle declaring = type.GetDeclaringType();
        if (!declaring.IsNil)
        {
            return FullName(metadata, metadata.GetTypeDefinition(declaring)) + "+" + name;
        }

        string ns = metadata.GetString(type.Namespace);
        return ns.Length == 0 ? name : ns + "." + name;
    }
}

/// <summary>An enclave library whose boundary cannot be read (exit code 2); the message says why and what to do.</summary>
internal sealed class BoundaryReadException(string message) : Exception(message);
