namespace EnclaveGen.Attestation.Formats;

/// <summary>
/// The TD report body of a TDX quote. TD report 1.0 (584 bytes; quote version 4, or version 5 body
/// type 2): TEE_TCB_SVN 0 (16), MRSEAM 16 (48), MRSIGNERSEAM 64 (48), SEAMATTRIBUTES 112 (8),
/// TDATTRIBUTES 120 (8; bit 0 is DEBUG), XFAM 128 (8), MRTD 136 (48), MRCONFIGID 184 (48), MROWNER
/// 232 (48), MROWNERCONFIG 280 (48), RTMR0-3 328 (4 x 48), REPORTDATA 520 (64). TD report 1.5 (648
/// bytes; version 5 body type 3) adds TEE_TCB_SVN2 584 (16) and MRSERVICETD 600 (48).
/// </summary>
public sealed record TdxReportBody
{
    /// <summary>The size of a TD report 1.0 body in bytes.</summary>
    public const int Size = 584;

    /// <summary>The size of a TD report 1.5 body in bytes.</summary>
    public const int Size15 = 648;

    /// <summary>TDATTRIBUTES bit 0: the TD is debuggable.</summary>
    public const ulong TdAttributesDebug = 1;

    /// <summary>TEE_TCB_SVN (16 bytes).</summary>
    public ReadOnlyMemory<byte> TeeTcbSvn { get; init; } = new byte[16];

    /// <summary>MRSEAM, the measurement of the TDX module (48 bytes).</summary>
    public ReadOnlyMemory<byte> MrSeam { get; init; } = new byte[48];

    /// <summary>MRSIGNERSEAM (48 bytes; zero for Intel's module).</summary>
    public ReadOnlyMemory<byte> MrSignerSeam { get; init; } = new byte[48];

    /// <summary>SEAMATTRIBUTES.</summary>
    public ulong SeamAttributes { get; init; }

    /// <summary>TDATTRIBUTES; bit 0 is DEBUG.</summary>
    public ulong TdAttributes { get; init; }

    /// <summary>XFAM.</summary>
    public ulong Xfam { get; init; }

    /// <summary>MRTD, the measurement of the TD's initial contents: its unique ID (48 bytes).</summary>
    public ReadOnlyMemory<byte> MrTd { get; init; } = new byte[48];

    /// <summary>MRCONFIGID (48 bytes).</summary>
    public ReadOnlyMemory<byte> MrConfigId { get; init; } = new byte[48];

    /// <summary>MROWNER (48 bytes).</summary>
    public ReadOnlyMemory<byte> MrOwner { get; init; } = new byte[48];

    /// <summary>MROWNERCONFIG (48 bytes).</summary>
    public ReadOnlyMemory<byte> MrOwnerConfig { get; init; } = new byte[48];

    /// <summary>RTMR0 to RTMR3, the run-time measurement registers (4 x 48 bytes).</summary>
    public ReadOnlyMemory<byte> Rtmrs { get; init; } = new byte[4 * 48];

    /// <summary>REPORTDATA (64 bytes).</summary>
    public ReadOnlyMemory<byte> ReportData { get; init; } = new byte[64];

    /// <summary>TD report 1.5: TEE_TCB_SVN2, the TCB of the TDX module the TD would get if relaunched now (16 bytes); null in TD report 1.0.</summary>
    public ReadOnlyMemory<byte>? TeeTcbSvn2 { get; init; }

    /// <summary>TD report 1.5: MRSERVICETD, the measurement of the service TDs bound to this TD (48 bytes; zero when none); null in TD report 1.0.</summary>
    public ReadOnlyMemory<byte>? MrServiceTd { get; init; }

    /// <summary>True for a TD report 1.5 body.</summary>
    public bool IsTdReport15 => TeeTcbSvn2 is not null;

    /// <summary>True when TDATTRIBUTES has the DEBUG bit.</summary>
    public bool IsDebug => (TdAttributes & TdAttributesDebug) != 0;

    /// <summary>Parses exactly <see cref="Size"/> bytes.</summary>
    /// <exception cref="EvidenceFormatException">The length is wrong.</exception>
    public static TdxReportBody Parse(ReadOnlySpan<byte> bytes)
    {
        var reader = new EvidenceReader(bytes, "TDX report body");
        TdxReportBody body = Read(ref reader);
        reader.ExpectEnd("end of TD report body");
        return body;
    }

    /// <summary>Reads a TD report 1.5 body: the 1.0 fields, TEE_TCB_SVN2 and MRSERVICETD.</summary>
    internal static TdxReportBody Read15(ref EvidenceReader r) => Read(ref r) with
    {
        TeeTcbSvn2 = r.ReadArray(16, "TEE_TCB_SVN2"),
        MrServiceTd = r.ReadArray(48, "MRSERVICETD"),
    };

    internal static TdxReportBody Read(ref EvidenceReader r) => new()
    {
        TeeTcbSvn = r.ReadArray(16, "TEE_TCB_SVN"),
        MrSeam = r.ReadArray(48, "MRSEAM"),
        MrSignerSeam = r.ReadArray(48, "MRSIGNERSEAM"),
        SeamAttributes = r.ReadUInt64("SEAMATTRIBUTES"),
        TdAttributes = r.ReadUInt64("TDATTRIBUTES"),
        Xfam = r.ReadUInt64("XFAM"),
        MrTd = r.ReadArray(48, "MRTD"),
        MrConfigId = r.ReadArray(48, "MRCONFIGID"),
        MrOwner = r.ReadArray(48, "MROWNER"),
        MrOwnerConfig = r.ReadArray(48, "MROWNERCONFIG"),
        Rtmrs = r.ReadArray(4 * 48, "RTMR0-3"),
        ReportData = r.ReadArray(64, "REPORTDATA"),
    };

    /// <summary>Serializes the body into its layout: 584 bytes, or 648 for TD report 1.5.</summary>
    /// <exception cref="ArgumentException">A field has the wrong length, or only one of the 1.5 fields is set.</exception>
    public byte[] ToBytes()
    {
        if ((TeeTcbSvn2 is null) != (MrServiceTd is null))
        {
            throw new ArgumentException("A TD report 1.5 body has both TEE_TCB_SVN2 and MRSERVICETD; a 1.0 body has neither.", nameof(TeeTcbSvn2));
        }

        byte[] d = new byte[IsTdReport15 ? Size15 : Size];
        int at = 0;
        Put(d, ref at, TeeTcbSvn, 16, nameof(TeeTcbSvn));
        Put(d, ref at, MrSeam, 48, nameof(MrSeam));
        Put(d, ref at, MrSignerSeam, 48, nameof(MrSignerSeam));
        PutUInt64(d, ref at, SeamAttributes);
        PutUInt64(d, ref at, TdAttributes);
        PutUInt64(d, ref at, Xfam);
        Put(d, ref at, MrTd, 48, nameof(MrTd));
        Put(d, ref at, MrConfigId, 48, nameof(MrConfigId));
        Put(d, ref at, MrOwner, 48, nameof(MrOwner));
        Put(d, ref at, MrOwnerConfig, 48, nameof(MrOwnerConfig));
        Put(d, ref at, Rtmrs, 4 * 48, nameof(Rtmrs));
        Put(d, ref at, ReportData, 64, nameof(ReportData));
        if (TeeTcbSvn2 is { } svn2 && MrServiceTd is { } serviceTd)
        {
            Put(d, ref at, svn2, 16, nameof(TeeTcbSvn2));
            Put(d, ref at, serviceTd, 48, nameof(MrServiceTd));
        }

        return d;
    }

    private static void Put(byte[] destination, ref int at, ReadOnlyMemory<byte> value, int length, string name)
    {
        if (value.Length != length)
        {
            throw new ArgumentException($"{name} must be {length} bytes, it is {value.Length}.", name);
        }

        value.Span.CopyTo(destination.AsSpan(at));
        at += length;
    }

    private static void PutUInt64(byte[] destination, ref int at, ulong value)
    {
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(destination.AsSpan(at), value);
        at += 8;
    }
}
