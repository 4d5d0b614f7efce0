using System.Formats.Cbor;

namespace EnclaveGen.Attestation.Arm;

/// <summary>
/// Reading the CBOR of Arm tokens with every failure a typed <see cref="EvidenceFormatException"/>:
/// the reader's own exceptions (truncated, malformed, wrong type, too deep) are translated, and a
/// claims map with a key twice is refused (two readers could otherwise see two different values).
/// </summary>
internal static class ArmCbor
{
    public static T Parse<T>(string structure, string field, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (Exception e) when (e is CborContentException or InvalidOperationException or FormatException or OverflowException)
        {
            throw new EvidenceFormatException(structure, field, -1, $"not valid CBOR there: {ErrorText.Message(e)}");
        }
    }

    /// <summary>A COSE map label: its value when it is an integer; a text label is skipped and gives null.</summary>
    public static long? ReadIntegerLabel(CborReader reader)
    {
        if (reader.PeekState() is CborReaderState.UnsignedInteger or CborReaderState.NegativeInteger)
        {
            return reader.ReadInt64();
        }

        reader.SkipValue();
        return null;
    }

    /// <summary>A map with integer keys, each value kept encoded for a typed read later.</summary>
    public static Dictionary<long, ReadOnlyMemory<byte>> ReadIntegerKeyedMap(ReadOnlyMemory<byte> encoded, string structure) => Parse(structure, "claims", () =>
    {
        var reader = new CborReader(encoded, CborConformanceMode.Lax);
        var claims = new Dictionary<long, ReadOnlyMemory<byte>>();
        int? count = reader.ReadStartMap();
        for (int i = 0; count is null ? reader.PeekState() != CborReaderState.EndMap : i < count; i++)
        {
            if (reader.PeekState() is not (CborReaderState.UnsignedInteger or CborReaderState.NegativeInteger))
            {
                throw new EvidenceFormatException(structure, "claims", -1, $"a claim key is a {reader.PeekState()}; the claims of this token have integer keys");
            }

            long key = reader.ReadInt64();
            int start = encoded.Length - reader.BytesRemaining;
            reader.SkipValue();
            if (!claims.TryAdd(key, encoded[start..(encoded.Length - reader.BytesRemaining)]))
            {
                throw new EvidenceFormatException(structure, "claims", -1, $"claim {key} appears twice");
            }
        }

        reader.ReadEndMap();
        if (reader.BytesRemaining != 0)
        {
            throw new EvidenceFormatException(structure, "claims", -1, $"{reader.BytesRemaining} bytes follow the claims map");
        }

        return claims;
    });
}
