using System.Buffers.Binary;

namespace EnclaveGen.Attestation.Formats;

/// <summary>
/// The 384-byte SGX report body (<c>sgx_report_body_t</c>): what an enclave's identity and
/// REPORTDATA look like inside a local report, a DCAP quote and the quoting enclave's report.
/// </summary>
/// <remarks>
/// Layout (offsets in bytes, little-endian integers): CPUSVN 0 (16), MISCSELECT 16 (4), reserved
/// 20 (12), ISVEXTPRODID 32 (16), ATTRIBUTES 48 (16), MRENCLAVE 64 (32), reserved 96 (32), MRSIGNER
/// 128 (32), reserved 160 (32), CONFIGID 192 (64), ISVPRODID 256 (2), ISVSVN 258 (2), CONFIGSVN 260
/// (2), reserved 262 (42), ISVFAMILYID 304 (16), REPORTDATA 320 (64). Parsing requires the reserved
/// areas to be zero, as hardware writes them. Instances are immutable; build one with an object
/// initializer and serialize it with <see cref="ToBytes"/>.
/// </remarks>
public sealed record SgxReportBody
{
    /// <summary>The size of a report body in bytes.</summary>
    public const int Size = 384;

    /// <summary>The offset of REPORTDATA within the body.</summary>
    public const int ReportDataOffset = 320;

    /// <summary>CPUSVN, the security version of the CPU microcode and firmware (16 bytes).</summary>
    public ReadOnlyMemory<byte> CpuSvn { get; init; } = new byte[16];

    /// <summary>MISCSELECT, the extended SSA frame features the enclave uses.</summary>
    public uint MiscSelect { get; init; }

    /// <summary>ISVEXTPRODID, the extended product ID (16 bytes).</summary>
    public ReadOnlyMemory<byte> IsvExtProdId { get; init; } = new byte[16];

    /// <summary>ATTRIBUTES, including the DEBUG flag.</summary>
    public SgxAttributes Attributes { get; init; }

    /// <summary>MRENCLAVE, the enclave's measurement: its unique ID (32 bytes).</summary>
    public ReadOnlyMemory<byte> MrEnclave { get; init; } = new byte[32];

    /// <summary>MRSIGNER, the hash of the enclave signer's public key: its signer ID (32 bytes).</summary>
    public ReadOnlyMemory<byte> MrSigner { get; init; } = new byte[32];

    /// <summary>CONFIGID (64 bytes).</summary>
    public ReadOnlyMemory<byte> ConfigId { get; init; } = new byte[64];

    /// <summary>ISVPRODID, the product ID the signer assigned.</summary>
    public ushort IsvProdId { get; init; }

    /// <summary>ISVSVN, the enclave's security version number.</summary>
    public ushort IsvSvn { get; init; }

    /// <summary>CONFIGSVN.</summary>
    public ushort ConfigSvn { get; init; }

    /// <summary>ISVFAMILYID (16 bytes).</summary>
    public ReadOnlyMemory<byte> IsvFamilyId { get; init; } = new byte[16];

    /// <summary>REPORTDATA, the 64 bytes the enclave chose to bind into the report.</summary>
    public ReadOnlyMemory<byte> ReportData { get; init; } = new byte[64];

    /// <summary>Parses exactly <see cref="Size"/> bytes.</summary>
    /// <exception cref="EvidenceFormatException">The length is wrong or a reserved area is not zero.</exception>
    public static SgxReportBody Parse(ReadOnlySpan<byte> bytes)
    {
        var reader = new EvidenceReader(bytes, "SGX report body");
        SgxReportBody body = Read(ref reader);
        reader.ExpectEnd("end of report body");
        return body;
    }

    internal static SgxReportBody Read(ref EvidenceReader reader)
    {
        byte[] cpuSvn = reader.ReadArray(16, "CPUSVN");
        uint miscSelect = reader.ReadUInt32("MISCSELECT");
        reader.ReadReserved(12, "reserved1");
        byte[] isvExtProdId = reader.ReadArray(16, "ISVEXTPRODID");
        ulong flags = reader.ReadUInt64("ATTRIBUTES.FLAGS");
        ulong xfrm = reader.ReadUInt64("ATTRIBUTES.XFRM");
        byte[] mrEnclave = reader.ReadArray(32, "MRENCLAVE");
        reader.ReadReserved(32, "reserved2");
        byte[] mrSigner = reader.ReadArray(32, "MRSIGNER");
        reader.ReadReserved(32, "reserved3");
        byte[] configId = reader.ReadArray(64, "CONFIGID");
        ushort isvProdId = reader.ReadUInt16("ISVPRODID");
        ushort isvSvn = reader.ReadUInt16("ISVSVN");
        ushort configSvn = reader.ReadUInt16("CONFIGSVN");
        reader.ReadReserved(42, "reserved4");
        byte[] isvFamilyId = reader.ReadArray(16, "ISVFAMILYID");
        byte[] reportData = reader.ReadArray(64, "REPORTDATA");
        return new SgxReportBody
        {
            CpuSvn = cpuSvn,
            MiscSelect = miscSelect,
            IsvExtProdId = isvExtProdId,
            Attributes = new SgxAttributes(flags, xfrm),
            MrEnclave = mrEnclave,
            MrSigner = mrSigner,
            ConfigId = configId,
            IsvProdId = isvProdId,
            IsvSvn = isvSvn,
            ConfigSvn = configSvn,
            IsvFamilyId = isvFamilyId,
            ReportData = reportData,
        };
    }

    /// <summary>Serializes the body into its 384-byte layout.</summary>
    /// <exception cref="ArgumentException">A field has the wrong length.</exception>
    public byte[] ToBytes()
    {
        byte[] bytes = new byte[Size];
        WriteTo(bytes);
        return bytes;
    }

    /// <summary>Serializes the body into the first <see cref="Size"/> bytes of <paramref name="destination"/>.</summary>
    /// <exception cref="ArgumentException">The destination is too small or a field has the wrong length.</exception>
    public void WriteTo(Span<byte> destination)
    {
        if (destination.Length < Size)
        {
            throw new ArgumentException($"The destination needs {Size} bytes, it has {destination.Length}.", nameof(destination));
        }

        Span<byte> d = destination[..Size];
        d.Clear();
        Put(d, 0, CpuSvn, 16, nameof(CpuSvn));
        BinaryPrimitives.WriteUInt32LittleEndian(d[16..], MiscSelect);
        Put(d, 32, IsvExtProdId, 16, nameof(IsvExtProdId));
        BinaryPrimitives.WriteUInt64LittleEndian(d[48..], Attributes.Flags);
        BinaryPrimitives.WriteUInt64LittleEndian(d[56..], Attributes.Xfrm);
        Put(d, 64, MrEnclave, 32, nameof(MrEnclave));
        Put(d, 128, MrSigner, 32, nameof(MrSigner));
        Put(d, 192, ConfigId, 64, nameof(ConfigId));
        BinaryPrimitives.WriteUInt16LittleEndian(d[256..], IsvProdId);
        BinaryPrimitives.WriteUInt16LittleEndian(d[258..], IsvSvn);
        BinaryPrimitives.WriteUInt16LittleEndian(d[260..], ConfigSvn);
        Put(d, 304, IsvFamilyId, 16, nameof(IsvFamilyId));
        Put(d, ReportDataOffset, ReportData, 64, nameof(ReportData));
    }

    private static void Put(Span<byte> destination, int offset, ReadOnlyMemory<byte> value, int length, string name)
    {
        if (value.Length != length)
        {
            throw new ArgumentException($"{name} must be {length} bytes, it is {value.Length}.", name);
        }

        value.Span.CopyTo(destination[offset..]);
    }
}
