using System.Text.Encodings.Web;
using System.Text.Json;
using EnclaveGen.Attestation;
using EnclaveGen.Runtime.Platform;

namespace EnclaveGen.Runtime.Identity;

/// <summary>
/// The signature file that sits next to an enclave library, <c>&lt;AssemblyName&gt;.sigstruct.json</c>
/// (like the SIGSTRUCT that sgx_sign writes): one signed entry per enclave class. The format is
/// in docs/measurement.md.
/// </summary>
public sealed class EnclaveSignatureFile
{
    /// <summary>The file name suffix that follows the assembly name.</summary>
    public const string Extension = ".sigstruct.json";

    /// <summary>The value of the <c>format</c> field.</summary>
    public const string FormatName = "enclavegen-sigstruct";

    /// <summary>The format version this runtime writes and reads.</summary>
    public const int CurrentVersion = 1;

    /// <summary>Creates a file for <paramref name="assemblyName"/> with these entries.</summary>
    public EnclaveSignatureFile(string assemblyName, IReadOnlyList<EnclaveSignature> enclaves)
    {
        ArgumentException.ThrowIfNullOrEmpty(assemblyName);
        ArgumentNullException.ThrowIfNull(enclaves);
        AssemblyName = assemblyName;
        Enclaves = enclaves;
    }

    /// <summary>The simple name of the enclave library.</summary>
    public string AssemblyName { get; }

    /// <summary>One entry per enclave class.</summary>
    public IReadOnlyList<EnclaveSignature> Enclaves { get; }

    /// <summary>The signature file path for the enclave library at <paramref name="assemblyPath"/>: same folder, <c>Name.dll</c> becomes <c>Name.sigstruct.json</c>.</summary>
    public static string PathFor(string assemblyPath)
    {
        string full = Path.GetFullPath(assemblyPath);
        return Path.Combine(Path.GetDirectoryName(full)!, Path.GetFileNameWithoutExtension(full) + Extension);
    }

    /// <summary>The entry for <paramref name="enclaveTypeName"/>, or null.</summary>
    public EnclaveSignature? Find(string enclaveTypeName)
        => Enclaves.FirstOrDefault(e => string.Equals(e.EnclaveTypeName, enclaveTypeName, StringComparison.Ordinal));

    /// <summary>Reads a signature file.</summary>
    /// <exception cref="FileNotFoundException">There is no file.</exception>
    /// <exception cref="InvalidDataException">The file is not a valid signature file; the message says which field.</exception>
    public static EnclaveSignatureFile Load(string path) => Parse(File.ReadAllBytes(path));

    /// <summary>Writes the file atomically.</summary>
    public void Save(string path) => AtomicFile.WriteAllBytes(path, ToUtf8Json(), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

    /// <summary>The file's content: indented UTF-8 JSON with fields in a fixed order.</summary>
    public byte[] ToUtf8Json()
    {
        using MemoryStream buffer = new();
        using (Utf8JsonWriter json = new(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("format", FormatName);
            json.WriteNumber("version", CurrentVersion);
            json.WriteString("assembly", AssemblyName);
            json.WriteStartArray("enclaves");
            foreach (EnclaveSignature entry in Enclaves)
            {
                json.WriteStartObject();
                json.WriteString("type", entry.EnclaveTypeName);
                json.WriteString("mrenclave", entry.Mrenclave.ToString());
                json.WriteNumber("productId", entry.ProductId);
                json.WriteNumber("securityVersion", entry.SecurityVersion);
                json.WriteBoolean("debug", entry.IsDebug);
                json.WriteNumber("maxThreads", entry.MaxThreads);
                json.WriteNumber("heapLimitBytes", entry.HeapLimitBytes);
                json.WriteStartObject("signer");
                json.WriteString("algorithm", entry.Algorithm);
                json.WriteString("publicKey", Convert.ToBase64String(entry.SignerPublicKey));
                json.WriteString("mrsigner", entry.Mrsigner.ToString());
                json.WriteEndObject();
                json.WriteString("signature", Convert.ToBase64String(entry.Signature));
                json.WriteStartArray("components");
                foreach (MeasuredComponent component in entry.Components)
                {
                    json.WriteStartObject();
                    json.WriteString("assembly", component.AssemblyName);
                    if (component.ImageHash is { } hash)
                    {
                        json.WriteString("sha256", hash.ToString());
                    }
                    else
                    {
                        json.WriteNull("sha256");
                    }

                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    /// <summary>Parses a signature file's content.</summary>
    /// <exception cref="InvalidDataException">The content is not a valid signature file; the message says which field.</exception>
    public static EnclaveSignatureFile Parse(ReadOnlySpan<byte> utf8Json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8Json.ToArray());
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"not JSON ({ErrorText.Message(ex)})", ex);
        }

        using (document)
        {
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || RequireString(root, "format") != FormatName)
            {
                throw new InvalidDataException($"not an EnclaveGen signature file (the \"format\" field is not \"{FormatName}\")");
            }

            if (!RequireProperty(root, "version", JsonValueKind.Number).TryGetInt32(out int version) || version != CurrentVersion)
            {
                throw new InvalidDataException($"signature file version {RequireProperty(root, "version", null)}; this runtime reads version {CurrentVersion}. Use matching versions of the EnclaveGen build package and runtime");
            }

            List<EnclaveSignature> enclaves = [];
            foreach (JsonElement entry in RequireProperty(root, "enclaves", JsonValueKind.Array).EnumerateArray())
            {
                try
                {
                    enclaves.Add(ParseEntry(entry));
                }
                catch (FormatException ex)
                {
                    // JsonElement.GetInt32/GetInt64 report numbers out of range this way.
                    throw new InvalidDataException($"a number is out of range ({ErrorText.Message(ex)})", ex);
                }
            }

            return new EnclaveSignatureFile(RequireString(root, "assembly"), enclaves);
        }
    }

    private static EnclaveSignature ParseEntry(JsonElement entry)
    {
        string type = RequireString(entry, "type");
        JsonElement signer = RequireProperty(entry, "signer", JsonValueKind.Object);
        byte[] publicKey = RequireBase64(signer, "publicKey");
        List<MeasuredComponent> components = [];
        if (entry.TryGetProperty("components", out JsonElement list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (JsonElement component in list.EnumerateArray())
            {
                JsonElement hash = RequireProperty(component, "sha256", null);
                components.Add(new MeasuredComponent(
                    RequireString(component, "assembly"),
                    hash.ValueKind == JsonValueKind.Null ? null : RequireHash(component, "sha256")));
            }
        }

        EnclaveSignature signature = new(
            type,
            RequireHash(entry, "mrenclave"),
            RequireUInt16(entry, "productId"),
            RequireUInt16(entry, "securityVersion"),
            RequireProperty(entry, "debug", null).ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                _ => throw new InvalidDataException($"enclave '{type}': \"debug\" is not true or false"),
            },
            RequireString(signer, "algorithm"),
            publicKey,
            RequireBase64(entry, "signature"),
            RequireProperty(entry, "maxThreads", JsonValueKind.Number).GetInt32(),
            RequireProperty(entry, "heapLimitBytes", JsonValueKind.Number).GetInt64(),
            components);
        EnclaveHash recorded = RequireHash(signer, "mrsigner");
        if (recorded != signature.Mrsigner)
        {
            throw new InvalidDataException($"enclave '{type}': \"mrsigner\" {recorded} is not the SHA-256 of the signer's public key ({signature.Mrsigner})");
        }

        return signature;
    }

    private static JsonElement RequireProperty(JsonElement element, string name, JsonValueKind? kind)
    {
        if (!element.TryGetProperty(name, out JsonElement value))
        {
            throw new InvalidDataException($"the field \"{name}\" is missing");
        }

        if (kind is { } expected && value.ValueKind != expected)
        {
            throw new InvalidDataException($"the field \"{name}\" is {value.ValueKind}, expected {expected}");
        }

        return value;
    }

    private static string RequireString(JsonElement element, string name)
        => RequireProperty(element, name, JsonValueKind.String).GetString() ?? throw new InvalidDataException($"the field \"{name}\" is empty");

    private static EnclaveHash RequireHash(JsonElement element, string name)
        => EnclaveHash.TryParse(RequireString(element, name), out EnclaveHash value)
            ? value
            : throw new InvalidDataException($"the field \"{name}\" is not 64 hex digits");

    private static ushort RequireUInt16(JsonElement element, string name)
        => RequireProperty(element, name, JsonValueKind.Number).TryGetUInt16(out ushort value)
            ? value
            : throw new InvalidDataException($"the field \"{name}\" is not a number from 0 to 65535");

    private static byte[] RequireBase64(JsonElement element, string name)
        => RequireProperty(element, name, JsonValueKind.String).TryGetBytesFromBase64(out byte[]? value) && value.Length > 0
            ? value
            : throw new InvalidDataException($"the field \"{name}\" is not base64");
}
