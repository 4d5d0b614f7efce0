namespace EnclaveGen.EndToEnd.Tests;

/// <summary>Reads the TLS record layer of the bytes a host relayed (what a host, or an eavesdropper, can see).</summary>
internal static class TlsRecordLayer
{
    /// <summary>TLS 1.3 application data (also the type every encrypted record, alerts and Finished included, wears).</summary>
    public const byte ApplicationData = 23;

    /// <summary>The TLS records in a byte stream: (content type, length) of each, from their 5-byte headers.</summary>
    public static List<(byte Type, int Length)> Records(byte[] stream)
    {
        List<(byte, int)> records = [];
        for (int at = 0; at + 5 <= stream.Length; at += 5 + ((stream[at + 3] << 8) | stream[at + 4]))
        {
            records.Add((stream[at], (stream[at + 3] << 8) | stream[at + 4]));
        }

        return records;
    }
}
