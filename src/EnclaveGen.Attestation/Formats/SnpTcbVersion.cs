namespace EnclaveGen.Attestation.Formats;

/// <summary>
/// An AMD SEV-SNP TCB_VERSION (8 bytes, little-endian) in the Milan/Genoa layout: byte 0 boot
/// loader SPL, byte 1 TEE SPL, bytes 2 to 5 reserved, byte 6 SNP firmware SPL, byte 7 microcode SPL.
/// </summary>
/// <param name="Raw">The 64-bit value as read little-endian.</param>
public readonly record struct SnpTcbVersion(ulong Raw)
{
    /// <summary>The boot loader security patch level.</summary>
    public byte BootLoader => (byte)Raw;

    /// <summary>The PSP OS (TEE) security patch level.</summary>
    public byte Tee => (byte)(Raw >> 8);

    /// <summary>The SNP firmware security patch level.</summary>
    public byte Snp => (byte)(Raw >> 48);

    /// <summary>The microcode security patch level.</summary>
    public byte Microcode => (byte)(Raw >> 56);

    /// <summary>The 8 bytes as they appear in the report, as lowercase hex.</summary>
    public string ToHex()
    {
        Span<byte> bytes = stackalloc byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(bytes, Raw);
        return Convert.ToHexStringLower(bytes);
    }

    /// <inheritdoc/>
    public override string ToString() => $"{ToHex()} (bootloader {BootLoader}, tee {Tee}, snp {Snp}, microcode {Microcode})";
}
