using System.Buffers.Binary;

namespace EnclaveGen.Attestation.Formats;

/// <summary>
/// The certificate table of an SEV-SNP extended report (the GHCB specification's certificate
/// table, which Linux hands out as the configfs-tsm <c>auxblob</c> of a <c>sev_guest</c> report):
/// entries of a GUID (16 bytes, RFC 4122 byte order), an offset and a length (little-endian, from
/// the start of the table), ended by an all-zero entry, followed by the DER certificates.
/// </summary>
public static class SnpCertificateTable
{
    /// <summary>The GUID of the VCEK entry.</summary>
    public static readonly Guid Vcek = new("63da758d-e664-4564-adc5-f4b93be8accd");

    /// <summary>The GUID of the VLEK entry.</summary>
    public static readonly Guid Vlek = new("a8074bc2-a25a-483e-aae6-39c045a0b8a1");

    /// <summary>The GUID of the ASK entry.</summary>
    public static readonly Guid Ask = new("4ab7b379-bbac-4fe4-a02f-05aef327c782");

    /// <summary>The GUID of the ARK entry.</summary>
    public static readonly Guid Ark = new("c0b406a4-a803-4952-9743-3fb6014cd0ae");

    private const int EntrySize = 24;

    /// <summary>Reads a table: each entry's GUID and its bytes, in table order.</summary>
    /// <exception cref="EvidenceFormatException">The table has no terminator, or an entry's bytes lie outside the table or over its entries.</exception>
    public static IReadOnlyList<(Guid Id, byte[] Data)> Parse(ReadOnlySpan<byte> table)
    {
        int count = 0;
        while (true)
        {
            int at = count * EntrySize;
            if (at + EntrySize > table.Length)
            {
                throw new EvidenceFormatException("SEV-SNP certificate table", "terminator", at, $"the table ends after {count} entries without the all-zero entry that closes it");
            }

            if (!table.Slice(at, EntrySize).ContainsAnyExcept((byte)0))
            {
                break;
            }

            count++;
        }

        // Certificates lie after the entries and their terminator, inside the table.
        uint dataStart = (uint)((count + 1) * EntrySize);
        var entries = new List<(Guid, byte[])>(count);
        for (int i = 0; i < count; i++)
        {
            ReadOnlySpan<byte> entry = table.Slice(i * EntrySize, EntrySize);
            var id = new Guid(entry[..16], bigEndian: true);
            uint offset = BinaryPrimitives.ReadUInt32LittleEndian(entry[16..]);
            uint length = BinaryPrimitives.ReadUInt32LittleEndian(entry[20..]);
            if (length == 0 || offset < dataStart || offset > (uint)table.Length || length > (uint)table.Length - offset)
            {
                throw new EvidenceFormatException("SEV-SNP certificate table", $"entry {i} ({id})", (i * EntrySize) + 16, $"offset {offset} and length {length} must lie after the entries (from {dataStart}) and inside the {table.Length}-byte table");
            }

            entries.Add((id, table.Slice((int)offset, (int)length).ToArray()));
        }

        return entries;
    }

    /// <summary>Writes a table of the given entries (the layout a host gives a guest).</summary>
    public static byte[] Write(IReadOnlyList<(Guid Id, byte[] Data)> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        int headerSize = (entries.Count + 1) * EntrySize;
        byte[] table = new byte[headerSize + entries.Sum(e => e.Data.Length)];
        int dataAt = headerSize;
        for (int i = 0; i < entries.Count; i++)
        {
            Span<byte> entry = table.AsSpan(i * EntrySize, EntrySize);
            entries[i].Id.TryWriteBytes(entry, bigEndian: true, out _);
            BinaryPrimitives.WriteUInt32LittleEndian(entry[16..], (uint)dataAt);
            BinaryPrimitives.WriteUInt32LittleEndian(entry[20..], (uint)entries[i].Data.Length);
            entries[i].Data.CopyTo(table, dataAt);
            dataAt += entries[i].Data.Length;
        }

        return table;
    }

    /// <summary>The certificates a report's verifier takes (<see cref="Verification.EvidenceInput.Certificates"/>): the VCEK or VLEK first, then the ASK and the ARK when present.</summary>
    /// <exception cref="EvidenceFormatException">The table is malformed (see <see cref="Parse"/>).</exception>
    public static IReadOnlyList<byte[]> SigningChain(ReadOnlySpan<byte> table)
    {
        IReadOnlyList<(Guid Id, byte[] Data)> entries = Parse(table);
        var chain = new List<byte[]>();
        foreach (Guid kind in new[] { Vcek, Vlek, Ask, Ark })
        {
            chain.AddRange(entries.Where(e => e.Id == kind).Select(e => e.Data));
        }

        return chain;
    }
}
