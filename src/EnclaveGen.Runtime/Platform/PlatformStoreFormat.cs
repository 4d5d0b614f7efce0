using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;
using EnclaveGen.Attestation;

namespace EnclaveGen.Runtime.Platform;

/// <summary>
/// The bytes of <c>platform.json</c>: <c>{"format":"enclavegen-platform","version":1,"rootKey":"&lt;base64&gt;","entries":{"name":"&lt;base64&gt;",...}}</c>.
/// Read with <see cref="Utf8JsonReader"/> and written with <see cref="Utf8JsonWriter"/> straight
/// between UTF-8 buffers and byte arrays, so no key ever becomes a <see cref="string"/>; a read
/// decodes only the value asked for, and every buffer that holds key material is pinned (a
/// collection never moves it, which would leave the old bytes behind) and zeroed after use.
/// </summary>
internal static class PlatformStoreFormat
{
    public const string FormatName = "enclavegen-platform";
    public const int FormatVersion = 1;

    /// <summary>The root key, decoded into pinned memory (so the GC never leaves a moved copy behind); the caller zeroes it.</summary>
    public static byte[] ReadRootKey(ReadOnlySpan<byte> json, string path)
    {
        byte[]? key = null;
        try
        {
            Walk(json, path, rootKey: (ref Utf8JsonReader reader) => key = Decode(ref reader, path, "rootKey", pinned: true), entry: null);
        }
        catch (EnclavePlatformException)
        {
            Zero(key);
            throw;
        }

        if (key is null || key.Length != EnclavePlatform.RootKeyLength)
        {
            Zero(key);
            throw NotAStore(path);
        }

        return key;
    }

    /// <summary>The entry named <paramref name="name"/>, or null; no other value of the file is decoded.</summary>
    public static byte[]? ReadEntry(ReadOnlySpan<byte> json, string path, string name)
    {
        byte[]? value = null;
        Walk(json, path, rootKey: null, entry: (string entryName, ref Utf8JsonReader reader) =>
        {
            if (entryName == name)
            {
                value = Decode(ref reader, path, entryName, pinned: false);
            }
        });
        return value;
    }

    /// <summary>Every entry (the root key is not decoded: the writer gets it from the platform).</summary>
    public static Dictionary<string, byte[]> ReadEntries(ReadOnlySpan<byte> json, string path)
    {
        Dictionary<string, byte[]> entries = new(StringComparer.Ordinal);
        Walk(json, path, rootKey: null, entry: (string entryName, ref Utf8JsonReader reader) => entries[entryName] = Decode(ref reader, path, entryName, pinned: false));
        return entries;
    }

    /// <summary>Writes a store into <paramref name="output"/> (whose buffers the caller zeroes).</summary>
    public static void Write(ZeroingBufferWriter output, ReadOnlySpan<byte> rootKey, IEnumerable<KeyValuePair<string, byte[]>> entries)
    {
        using Utf8JsonWriter json = new(output, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("format", FormatName);
        json.WriteNumber("version", FormatVersion);
        json.WriteBase64String("rootKey", rootKey);
        json.WriteStartObject("entries");
        foreach ((string name, byte[] value) in entries.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            json.WriteBase64String(name, value);
        }

        json.WriteEndObject();
        json.WriteEndObject();
        json.Flush();
    }

    public static EnclavePlatformException NotAStore(string path) => new(
        $"The emulated platform's store '{path}' is not a version {FormatVersion} {FormatName} file. It holds the root key of everything sealed on this platform: restore it from a backup rather than deleting it (deleting it makes every sealed blob unreadable).");

    private delegate void ValueReader(ref Utf8JsonReader reader);

    private delegate void EntryReader(string name, ref Utf8JsonReader reader);

    // Checks the whole shape of the file and hands the root key's and each entry's value to the given readers.
    private static void Walk(ReadOnlySpan<byte> json, string path, ValueReader? rootKey, EntryReader? entry)
    {
        try
        {
            Utf8JsonReader reader = new(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
            Expect(ref reader, JsonTokenType.StartObject, path);
            bool format = false, version = false, key = false, entries = false;
            while (Next(ref reader, path) == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("format"u8))
                {
                    Expect(ref reader, JsonTokenType.String, path);
                    format = Once(format, path, reader.ValueTextEquals(FormatName));
                }
                else if (reader.ValueTextEquals("version"u8))
                {
                    Expect(ref reader, JsonTokenType.Number, path);
                    version = Once(version, path, reader.TryGetInt32(out int number) && number == FormatVersion);
                }
                else if (reader.ValueTextEquals("rootKey"u8))
                {
                    Expect(ref reader, JsonTokenType.String, path);
                    key = Once(key, path, valid: true);
                    rootKey?.Invoke(ref reader);
                }
                else if (reader.ValueTextEquals("entries"u8))
                {
                    Expect(ref reader, JsonTokenType.StartObject, path);
                    entries = Once(entries, path, valid: true);
                    while (Next(ref reader, path) == JsonTokenType.PropertyName)
                    {
                        string name = reader.GetString() ?? throw NotAStore(path);
                        if (Next(ref reader, path) != JsonTokenType.String)
                        {
                            throw new EnclavePlatformException($"The emulated platform's store '{path}' has an entry '{name}' that is not base64.");
                        }

                        entry?.Invoke(name, ref reader);
                    }
                }
                else
                {
                    Next(ref reader, path);
                    reader.Skip();
                }
            }

            if (!(format && version && key && entries) || reader.Read())
            {
                throw NotAStore(path);
            }
        }
        catch (JsonException ex)
        {
            throw new EnclavePlatformException($"The emulated platform's store '{path}' is not valid JSON ({ErrorText.Message(ex)}). It holds the root key of everything sealed on this platform: restore it from a backup rather than deleting it.", ex);
        }
    }

    // Unescapes the string value into a scratch buffer and decodes its base64 from there; the scratch is zeroed.
    private static byte[] Decode(ref Utf8JsonReader reader, string path, string name, bool pinned)
    {
        // Pinned, not pooled: the root key's text must not be moved (leaving a copy) by a collection
        // while it is decoded, nor live on in a pooled array.
        byte[] text = GC.AllocateUninitializedArray<byte>(Math.Max(4, reader.ValueSpan.Length), pinned: true);
        try
        {
            int length = reader.CopyString(text);
            ReadOnlySpan<byte> base64 = text.AsSpan(0, length);
            if (length % 4 != 0)
            {
                throw Malformed(path, name);
            }

            int padding = length == 0 ? 0 : base64[^1] == '=' ? (base64[^2] == '=' ? 2 : 1) : 0;
            byte[] value = GC.AllocateArray<byte>(length / 4 * 3 - padding, pinned);
            if (Base64.DecodeFromUtf8(base64, value, out int consumed, out int written) != OperationStatus.Done || consumed != length || written != value.Length)
            {
                CryptographicOperations.ZeroMemory(value);
                throw Malformed(path, name);
            }

            return value;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(text);
        }
    }

    private static EnclavePlatformException Malformed(string path, string name) => new($"The emulated platform's store '{path}' has an entry '{name}' that is not base64.");

    // Each field appears once and holds what it must; otherwise the file is not a store.
    private static bool Once(bool seen, string path, bool valid) => !seen && valid ? true : throw NotAStore(path);

    private static JsonTokenType Next(ref Utf8JsonReader reader, string path) => reader.Read() ? reader.TokenType : throw NotAStore(path);

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type, string path)
    {
        if (Next(ref reader, path) != type)
        {
            throw NotAStore(path);
        }
    }

    private static void Zero(byte[]? buffer)
    {
        if (buffer is not null)
        {
            CryptographicOperations.ZeroMemory(buffer);
        }
    }
}
