using System.Formats.Cbor;

namespace EnclaveGen.Attestation.Arm;

/// <summary>A token's claims map, read by key with the type and size each claim must have.</summary>
internal sealed class ArmClaimSet
{
    private readonly Dictionary<long, ReadOnlyMemory<byte>> _claims;
    private readonly string _structure;

    private ArmClaimSet(Dictionary<long, ReadOnlyMemory<byte>> claims, string structure)
    {
        _claims = claims;
        _structure = structure;
    }

    public static ArmClaimSet Read(ReadOnlyMemory<byte> encoded, string structure) => new(ArmCbor.ReadIntegerKeyedMap(encoded, structure), structure);

    public bool Has(long key) => _claims.ContainsKey(key);

    public ReadOnlyMemory<byte> Bytes(long key, string name, params int[] lengths) =>
        OptionalBytes(key, name, lengths) ?? throw Missing(key, name);

    public ReadOnlyMemory<byte>? OptionalBytes(long key, string name, params int[] lengths)
    {
        if (!_claims.TryGetValue(key, out ReadOnlyMemory<byte> encoded))
        {
            return null;
        }

        byte[] value = Read(key, name, encoded, reader => reader.ReadByteString());
        if (lengths.Length > 0 && Array.IndexOf(lengths, value.Length) < 0)
        {
            throw new EvidenceFormatException(_structure, name, -1, $"claim {key} is {value.Length} bytes; it must be {string.Join(" or ", lengths)}");
        }

        return value;
    }

    public string Text(long key, string name) => OptionalText(key, name) ?? throw Missing(key, name);

    public string? OptionalText(long key, string name) =>
        _claims.TryGetValue(key, out ReadOnlyMemory<byte> encoded) ? Read(key, name, encoded, reader => reader.ReadTextString()) : null;

    public long Integer(long key, string name) =>
        _claims.TryGetValue(key, out ReadOnlyMemory<byte> encoded) ? Read(key, name, encoded, reader => reader.ReadInt64()) : throw Missing(key, name);

    /// <summary>An array claim whose items are each read by <paramref name="item"/> from their own encoding.</summary>
    public IReadOnlyList<T> Items<T>(long key, string name, Func<ReadOnlyMemory<byte>, int, T> item)
    {
        if (!_claims.TryGetValue(key, out ReadOnlyMemory<byte> encoded))
        {
            throw Missing(key, name);
        }

        List<ReadOnlyMemory<byte>> items = Read(key, name, encoded, reader =>
        {
            var list = new List<ReadOnlyMemory<byte>>();
            int? count = reader.ReadStartArray();
            for (int i = 0; count is null ? reader.PeekState() != CborReaderState.EndArray : i < count; i++)
            {
                int start = encoded.Length - reader.BytesRemaining;
                reader.SkipValue();
                list.Add(encoded[start..(encoded.Length - reader.BytesRemaining)]);
            }

            reader.ReadEndArray();
            return list;
        });
        return items.Select((encodedItem, index) => item(encodedItem, index)).ToList();
    }

    /// <summary>A byte string that is an array item or a nested value.</summary>
    public static byte[] ByteString(ReadOnlyMemory<byte> encoded, string structure, string name) =>
        ArmCbor.Parse(structure, name, () => Complete(new CborReader(encoded, CborConformanceMode.Lax), reader => reader.ReadByteString(), encoded.Length, structure, name));

    private T Read<T>(long key, string name, ReadOnlyMemory<byte> encoded, Func<CborReader, T> read) =>
        ArmCbor.Parse(_structure, name, () =>
        {
            var reader = new CborReader(encoded, CborConformanceMode.Lax);
            try
            {
                return Complete(reader, read, encoded.Length, _structure, name);
            }
            catch (InvalidOperationException)
            {
                throw new EvidenceFormatException(_structure, name, -1, $"claim {key} is a {new CborReader(encoded, CborConformanceMode.Lax).PeekState()}, not the type {name} has");
            }
        });

    private static T Complete<T>(CborReader reader, Func<CborReader, T> read, int length, string structure, string name)
    {
        T value = read(reader);
        return reader.BytesRemaining == 0 ? value : throw new EvidenceFormatException(structure, name, length - reader.BytesRemaining, "bytes follow the value");
    }

    private EvidenceFormatException Missing(long key, string name) =>
        new(_structure, name, -1, $"the mandatory claim {key} ({name}) is missing");
}
