using System.Buffers.Binary;

namespace EnclaveGen.Attestation.Formats;

/// <summary>
/// An AMD SEV-SNP TCB_VERSION (8 bytes, little-endian). Milan and Genoa lay it out as boot loader
/// SPL (byte 0), TEE SPL (1), reserved (2-5), SNP firmware SPL (6), microcode SPL (7); Turin and later
/// as FMC SPL (0), boot loader (1), TEE (2), SNP (3), reserved (4-6), microcode (7).
/// </summary>
/// <param name="Raw">The 64-bit value as read little-endian.</param>
/// <param name="TurinLayout">True for the Turin layout, which has an FMC SPL.</param>
public readonly record struct SnpTcbVersion(ulong Raw, bool TurinLayout = false)
{
    /// <summary>The firmware (FMC) security patch level; null in the Milan/Genoa layout, which has none.</summary>
    public byte? Fmc => TurinLayout ? Byte(0) : null;

    /// <summary>The boot loader security patch level.</summary>
    public byte BootLoader => TurinLayout ? Byte(1) : Byte(0);

    /// <summary>The PSP OS (TEE) security patch level.</summary>
    public byte Tee => TurinLayout ? Byte(2) : Byte(1);

    /// <summary>The SNP firmware security patch level.</summary>
    public byte Snp => TurinLayout ? Byte(3) : Byte(6);

    /// <summary>The microcode security patch level.</summary>
    public byte Microcode => Byte(7);

    /// <summary>True when the layout's reserved bytes are zero.</summary>
    public bool ReservedBytesAreZero => TurinLayout ? (Raw & 0x00FF_FFFF_0000_0000UL) == 0 : (Raw & 0x0000_FFFF_FFFF_0000UL) == 0;

    /// <summary>The 8 bytes as they appear in the report.</summary>
    public byte[] ToBytes()
    {
        byte[] bytes = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, Raw);
        return bytes;
    }

    /// <summary>The 8 bytes as they appear in the report, as lowercase hex.</summary>
    public string ToHex() => Convert.ToHexStringLower(ToBytes());

    /// <summary>The components in words, for example "bootloader 2, tee 0, snp 5, microcode 68".</summary>
    public string Describe() => $"{(Fmc is { } fmc ? $"fmc {fmc}, " : string.Empty)}bootloader {BootLoader}, tee {Tee}, snp {Snp}, microcode {Microcode}";

    /// <inheritdoc/>
    public override string ToString() => $"{ToHex()} ({Describe()})";

    private byte Byte(int index) => (byte)(Raw >> (8 * index));
}
