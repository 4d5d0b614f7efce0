using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;

namespace EnclaveGen.Runtime.Platform;

/// <summary>
/// A platform kept in a per-user folder: <c>platform.json</c> holds the root key and the named
/// entries, owner-only (0600, in a 0700 folder), replaced atomically on every change, under a lock
/// file so that processes sharing the folder do not lose each other's updates. The root key is
/// created once, by whichever process gets there first, and never changes.
/// </summary>
internal sealed class FileEnclavePlatform : EnclavePlatform
{
    private const string FormatName = "enclavegen-platform";
    private const int FormatVersion = 1;
    private static readonly TimeSpan s_lockTimeout = TimeSpan.FromSeconds(30);

    private readonly string _storePath;
    private readonly string _lockPath;

    public FileEnclavePlatform(string homeDirectory, bool isShared)
        : base(LoadOrCreateRootKey(Path.Combine(EnclaveGenHome.EnsureDirectory(homeDirectory), "platform.json")), allowsUnsignedImages: false, isShared)
    {
        string home = Path.GetFullPath(homeDirectory);
        _storePath = Path.Combine(home, "platform.json");
        _lockPath = Path.Combine(home, "platform.lock");
    }

    public override string Location => _storePath;

    private protected override byte[]? ReadEntry(string name)
        => Read(_storePath).Entries.TryGetValue(name, out byte[]? value) ? value : null;

    private protected override byte[] UpdateEntry(string name, Func<byte[]?, byte[]> update)
    {
        using FileStream lockFile = AcquireLock();
        Document document = Read(_storePath);
        byte[]? existing = document.Entries.TryGetValue(name, out byte[]? value) ? value : null;
        byte[] updated = update(existing);
        if (existing is null || !existing.AsSpan().SequenceEqual(updated))
        {
            document.Entries[name] = updated;
            AtomicFile.WriteAllBytes(_storePath, Serialize(document));
        }

        return updated;
    }

    private static byte[] LoadOrCreateRootKey(string storePath)
    {
        if (!File.Exists(storePath))
        {
            Document fresh = new(RandomNumberGenerator.GetBytes(RootKeyLength), new Dictionary<string, byte[]>(StringComparer.Ordinal));
            // Of several processes creating the store at once, exactly one wins; the others read its key.
            AtomicFile.TryCreate(storePath, Serialize(fresh));
        }

        return Read(storePath).RootKey;
    }

    private FileStream AcquireLock()
    {
        FileStreamOptions options = new() { Mode = FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = EnclaveGenHome.SecretFileMode;
        }

        Stopwatch waited = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return new FileStream(_lockPath, options);
            }
            catch (IOException) when (waited.Elapsed < s_lockTimeout)
            {
                // Another process holds the lock (FileShare.None is an exclusive flock on Unix): retry shortly.
                Thread.Sleep(Random.Shared.Next(5, 25));
            }
        }
    }

    private static Document Read(string path)
    {
        if (!OperatingSystem.IsWindows())
        {
            UnixFileMode mode = File.GetUnixFileMode(path);
            UnixFileMode others = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;
            if ((mode & others) != 0)
            {
                throw new EnclavePlatformException($"The emulated platform's secrets in '{path}' are accessible to other users (mode {Convert.ToString((int)mode, 8)}). Anyone who can read the file can unseal this user's sealed data. Run: chmod 600 '{path}'");
            }
        }

        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (IOException ex)
        {
            throw new EnclavePlatformException($"The emulated platform's store '{path}' cannot be read: {ex.Message}", ex);
        }

        try
        {
            using JsonDocument json = JsonDocument.Parse(bytes);
            JsonElement root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("format", out JsonElement format) || format.ValueKind != JsonValueKind.String || format.GetString() != FormatName
                || !root.TryGetProperty("version", out JsonElement version) || version.ValueKind != JsonValueKind.Number || version.GetInt32() != FormatVersion
                || !root.TryGetProperty("rootKey", out JsonElement rootKey) || rootKey.ValueKind != JsonValueKind.String
                || !rootKey.TryGetBytesFromBase64(out byte[]? key) || key.Length != RootKeyLength
                || !root.TryGetProperty("entries", out JsonElement entries) || entries.ValueKind != JsonValueKind.Object)
            {
                throw new EnclavePlatformException($"The emulated platform's store '{path}' is not a version {FormatVersion} {FormatName} file. It holds the root key of everything sealed on this platform: restore it from a backup rather than deleting it (deleting it makes every sealed blob unreadable).");
            }

            Dictionary<string, byte[]> values = new(StringComparer.Ordinal);
            foreach (JsonProperty entry in entries.EnumerateObject())
            {
                if (entry.Value.ValueKind != JsonValueKind.String || !entry.Value.TryGetBytesFromBase64(out byte[]? value))
                {
                    throw new EnclavePlatformException($"The emulated platform's store '{path}' has an entry '{entry.Name}' that is not base64.");
                }

                values[entry.Name] = value;
            }

            return new Document(key, values);
        }
        catch (JsonException ex)
        {
            throw new EnclavePlatformException($"The emulated platform's store '{path}' is not valid JSON ({ex.Message}). It holds the root key of everything sealed on this platform: restore it from a backup rather than deleting it.", ex);
        }
        catch (FormatException ex)
        {
            throw new EnclavePlatformException($"The emulated platform's store '{path}' has a malformed field ({ex.Message}).", ex);
        }
    }

    private static byte[] Serialize(Document document)
    {
        using MemoryStream buffer = new();
        using (Utf8JsonWriter json = new(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("format", FormatName);
            json.WriteNumber("version", FormatVersion);
            json.WriteString("rootKey", Convert.ToBase64String(document.RootKey));
            json.WriteStartObject("entries");
            foreach ((string name, byte[] value) in document.Entries.OrderBy(e => e.Key, StringComparer.Ordinal))
            {
                json.WriteString(name, Convert.ToBase64String(value));
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private sealed record Document(byte[] RootKey, Dictionary<string, byte[]> Entries);
}
