namespace EnclaveGen.Attestation.Formats;

/// <summary>
/// An AMD SEV-SNP attestation report, versions 2 to 5 (1184 bytes), as the SEV-SNP firmware ABI
/// specifies it. Version 3 added the CPUID family, model and stepping, which name the processor
/// (<see cref="Product"/>) and, for Turin and later, the layout of the TCB fields (an FMC SPL) and an
/// 8-byte CHIP_ID; version 4 changed nothing in the layout; version 5 (SEV-SNP firmware ABI 1.58)
/// added the launch and current mitigation vectors at 0x1F8 and 0x200. Parsing requires every reserved area,
/// the unused high bytes of the signature's r and s, and the signature's reserved tail to be zero.
/// </summary>
public sealed class SnpReport
{
    /// <summary>The size of a report in bytes.</summary>
    public const int Size = 0x4A0;

    /// <summary>The size of the signed region: bytes [0, 0x2A0).</summary>
    public const int SignedSize = 0x2A0;

    /// <summary>Signature algorithm 1: ECDSA P-384 with SHA-384.</summary>
    public const uint SignatureAlgorithmEcdsaP384Sha384 = 1;

    /// <summary>Guest policy bit 19: debugging is allowed.</summary>
    public const ulong PolicyDebug = 1UL << 19;

    /// <summary>Guest policy bit 16: SMT (simultaneous multithreading) is allowed.</summary>
    public const ulong PolicySmt = 1UL << 16;

    /// <summary>Guest policy bit 18: a migration agent may be associated with the guest.</summary>
    public const ulong PolicyMigrationAgent = 1UL << 18;

    /// <summary>SIGNING_KEY 0: the report is signed by the chip's VCEK.</summary>
    public const uint SigningKeyVcek = 0;

    /// <summary>SIGNING_KEY 1: the report is signed by a VLEK, a key AMD issues to a cloud provider.</summary>
    public const uint SigningKeyVlek = 1;

    /// <summary>Guest policy bit 17: reserved, must be one.</summary>
    public const ulong PolicyReservedMustBeOne = 1UL << 17;

    /// <summary>The lowest report version read.</summary>
    public const uint MinimumVersion = 2;

    /// <summary>The highest report version read.</summary>
    public const uint MaximumVersion = 5;

    private readonly byte[] _bytes;

    private SnpReport(byte[] bytes)
    {
        _bytes = bytes;
        var r = new EvidenceReader(bytes, "SEV-SNP report");
        Version = r.ReadUInt32("VERSION");
        if (Version is < MinimumVersion or > MaximumVersion)
        {
            throw r.ErrorAt(0, "VERSION", $"expected version {MinimumVersion} to {MaximumVersion}, found {Version}");
        }

        GuestSvn = r.ReadUInt32("GUEST_SVN");
        Policy = r.ReadUInt64("POLICY");
        if ((Policy & PolicyReservedMustBeOne) == 0)
        {
            throw r.ErrorAt(0x08, "POLICY", $"bit 17 is reserved and must be one (policy 0x{Policy:x})");
        }

        if ((Policy >> 26) != 0)
        {
            throw r.ErrorAt(0x08, "POLICY", $"bits 26 to 63 are reserved and must be zero (policy 0x{Policy:x})");
        }

        FamilyId = r.ReadArray(16, "FAMILY_ID");
        ImageId = r.ReadArray(16, "IMAGE_ID");
        Vmpl = r.ReadUInt32("VMPL");
        if (Vmpl > 3)
        {
            throw r.ErrorAt(0x30, "VMPL", $"expected 0 to 3, found {Vmpl}");
        }

        SignatureAlgorithm = r.ReadUInt32("SIGNATURE_ALGO");
        if (SignatureAlgorithm != SignatureAlgorithmEcdsaP384Sha384)
        {
            throw r.ErrorAt(0x34, "SIGNATURE_ALGO", $"expected {SignatureAlgorithmEcdsaP384Sha384} (ECDSA P-384 with SHA-384), found {SignatureAlgorithm}");
        }

        ulong currentTcb = r.ReadUInt64("CURRENT_TCB");
        PlatformInfo = r.ReadUInt64("PLATFORM_INFO");
        uint keyInfo = r.ReadUInt32("AUTHOR_KEY_EN/MASK_CHIP_KEY/SIGNING_KEY");
        if ((keyInfo >> 5) != 0)
        {
            throw r.ErrorAt(0x48, "AUTHOR_KEY_EN/MASK_CHIP_KEY/SIGNING_KEY", $"bits 5 to 31 are reserved and must be zero (0x{keyInfo:x})");
        }

        AuthorKeyEnabled = (keyInfo & 1) != 0;
        MaskChipKey = (keyInfo & 2) != 0;
        SigningKey = (keyInfo >> 2) & 7;
        r.ReadReserved(4, "reserved (0x4C)");
        ReportData = r.ReadArray(64, "REPORT_DATA");
        Measurement = r.ReadArray(48, "MEASUREMENT");
        HostData = r.ReadArray(32, "HOST_DATA");
        IdKeyDigest = r.ReadArray(48, "ID_KEY_DIGEST");
        AuthorKeyDigest = r.ReadArray(48, "AUTHOR_KEY_DIGEST");
        ReportId = r.ReadArray(32, "REPORT_ID");
        ReportIdMigrationAgent = r.ReadArray(32, "REPORT_ID_MA");
        ulong reportedTcb = r.ReadUInt64("REPORTED_TCB");
        if (Version >= 3)
        {
            CpuidFamilyId = r.ReadByte("CPUID_FAM_ID");
            CpuidModelId = r.ReadByte("CPUID_MOD_ID");
            CpuidStepping = r.ReadByte("CPUID_STEP");
            r.ReadReserved(0x15, "reserved (0x18B)");
        }
        else
        {
            r.ReadReserved(0x18, "reserved (0x188)");
        }

        TurinLayout = Version >= 3 && SnpProducts.HasTurinLayout(CpuidFamilyId);
        CurrentTcb = new SnpTcbVersion(currentTcb, TurinLayout);
        ReportedTcb = new SnpTcbVersion(reportedTcb, TurinLayout);
        int chipIdAt = r.AbsolutePosition;
        ChipId = r.ReadArray(64, "CHIP_ID");
        int chipIdTail = ChipId.Span[8..].IndexOfAnyExcept((byte)0);
        if (TurinLayout && chipIdTail >= 0)
        {
            throw r.ErrorAt(chipIdAt + 8 + chipIdTail, "CHIP_ID", "on Turin and later CHIP_ID is 8 bytes; the 56 after them must be zero");
        }

        CommittedTcb = new SnpTcbVersion(r.ReadUInt64("COMMITTED_TCB"), TurinLayout);
        CurrentBuild = r.ReadByte("CURRENT_BUILD");
        CurrentMinor = r.ReadByte("CURRENT_MINOR");
        CurrentMajor = r.ReadByte("CURRENT_MAJOR");
        r.ReadReserved(1, "reserved (0x1EB)");
        CommittedBuild = r.ReadByte("COMMITTED_BUILD");
        CommittedMinor = r.ReadByte("COMMITTED_MINOR");
        CommittedMajor = r.ReadByte("COMMITTED_MAJOR");
        r.ReadReserved(1, "reserved (0x1EF)");
        LaunchTcb = new SnpTcbVersion(r.ReadUInt64("LAUNCH_TCB"), TurinLayout);
        if (Version >= 5)
        {
            LaunchMitigationVector = r.ReadUInt64("LAUNCH_MIT_VECTOR");
            CurrentMitigationVector = r.ReadUInt64("CURRENT_MIT_VECTOR");
        }

        r.ReadReserved(SignedSize - r.Position, $"reserved (0x{r.Position:X3})");

        // The signature: r and s as 72-byte little-endian fields of which P-384 uses 48 bytes.
        ReadOnlySpan<byte> sigR = r.ReadBytes(48, "SIGNATURE.R");
        r.ReadReserved(24, "SIGNATURE.R high bytes");
        ReadOnlySpan<byte> sigS = r.ReadBytes(48, "SIGNATURE.S");
        r.ReadReserved(24, "SIGNATURE.S high bytes");
        r.ReadReserved(Size - 0x2A0 - 144, "SIGNATURE reserved");
        r.ExpectEnd("end of report");

        // Kept big-endian r||s, the form ECDSA verifiers take.
        byte[] signature = new byte[96];
        sigR.CopyTo(signature);
        sigS.CopyTo(signature.AsSpan(48));
        signature.AsSpan(0, 48).Reverse();
        signature.AsSpan(48, 48).Reverse();
        Signature = signature;
    }

    /// <summary>The report version.</summary>
    public uint Version { get; }

    /// <summary>The guest's security version number.</summary>
    public uint GuestSvn { get; }

    /// <summary>The guest policy.</summary>
    public ulong Policy { get; }

    /// <summary>True when the guest policy allows debugging (bit 19).</summary>
    public bool IsDebug => (Policy & PolicyDebug) != 0;

    /// <summary>True when the guest policy allows SMT (bit 16).</summary>
    public bool SmtAllowed => (Policy & PolicySmt) != 0;

    /// <summary>True when the guest policy allows a migration agent (bit 18).</summary>
    public bool MigrationAgentAllowed => (Policy & PolicyMigrationAgent) != 0;

    /// <summary>FAMILY_ID (16 bytes).</summary>
    public ReadOnlyMemory<byte> FamilyId { get; }

    /// <summary>IMAGE_ID (16 bytes).</summary>
    public ReadOnlyMemory<byte> ImageId { get; }

    /// <summary>The virtual machine privilege level that requested the report.</summary>
    public uint Vmpl { get; }

    /// <summary>The signature algorithm (1: ECDSA P-384 with SHA-384).</summary>
    public uint SignatureAlgorithm { get; }

    /// <summary>The platform's current TCB.</summary>
    public SnpTcbVersion CurrentTcb { get; }

    /// <summary>PLATFORM_INFO.</summary>
    public ulong PlatformInfo { get; }

    /// <summary>True when AUTHOR_KEY_DIGEST is present.</summary>
    public bool AuthorKeyEnabled { get; }

    /// <summary>True when the chip ID is masked (all zero) in this report.</summary>
    public bool MaskChipKey { get; }

    /// <summary>The key that signed the report: 0 VCEK, 1 VLEK, 7 none.</summary>
    public uint SigningKey { get; }

    /// <summary>REPORT_DATA, the 64 bytes the guest bound into the report.</summary>
    public ReadOnlyMemory<byte> ReportData { get; }

    /// <summary>MEASUREMENT, the launch digest of the guest (48 bytes).</summary>
    public ReadOnlyMemory<byte> Measurement { get; }

    /// <summary>HOST_DATA (32 bytes).</summary>
    public ReadOnlyMemory<byte> HostData { get; }

    /// <summary>ID_KEY_DIGEST (48 bytes).</summary>
    public ReadOnlyMemory<byte> IdKeyDigest { get; }

    /// <summary>AUTHOR_KEY_DIGEST (48 bytes).</summary>
    public ReadOnlyMemory<byte> AuthorKeyDigest { get; }

    /// <summary>REPORT_ID (32 bytes).</summary>
    public ReadOnlyMemory<byte> ReportId { get; }

    /// <summary>REPORT_ID_MA (32 bytes).</summary>
    public ReadOnlyMemory<byte> ReportIdMigrationAgent { get; }

    /// <summary>The TCB the VCEK that signed the report was derived for.</summary>
    public SnpTcbVersion ReportedTcb { get; }

    /// <summary>CPUID family (version 3 reports; 0 in version 2).</summary>
    public byte CpuidFamilyId { get; }

    /// <summary>CPUID model (version 3 reports; 0 in version 2).</summary>
    public byte CpuidModelId { get; }

    /// <summary>CPUID stepping (version 3 reports; 0 in version 2).</summary>
    public byte CpuidStepping { get; }

    /// <summary>The processor generation from the CPUID fields (version 3 and later), or null (version 2, or a processor <see cref="SnpProducts"/> does not know).</summary>
    public string? Product => Version >= 3 ? SnpProducts.FromCpuid(CpuidFamilyId, CpuidModelId) : null;

    /// <summary>True for reports of Turin and later processors, whose TCB fields have an FMC SPL and whose CHIP_ID is 8 bytes.</summary>
    public bool TurinLayout { get; }

    /// <summary>CHIP_ID (64 bytes; on Turin and later 8 bytes then zeros), equal to the VCEK's hwID.</summary>
    public ReadOnlyMemory<byte> ChipId { get; }

    /// <summary>The committed TCB.</summary>
    public SnpTcbVersion CommittedTcb { get; }

    /// <summary>The firmware build number.</summary>
    public byte CurrentBuild { get; }

    /// <summary>The firmware minor version.</summary>
    public byte CurrentMinor { get; }

    /// <summary>The firmware major version.</summary>
    public byte CurrentMajor { get; }

    /// <summary>The committed firmware build number.</summary>
    public byte CommittedBuild { get; }

    /// <summary>The committed firmware minor version.</summary>
    public byte CommittedMinor { get; }

    /// <summary>The committed firmware major version.</summary>
    public byte CommittedMajor { get; }

    /// <summary>The TCB at the time the guest was launched.</summary>
    public SnpTcbVersion LaunchTcb { get; }

    /// <summary>LAUNCH_MIT_VECTOR (version 5): the mitigations verified when the guest was launched; null before version 5.</summary>
    public ulong? LaunchMitigationVector { get; }

    /// <summary>CURRENT_MIT_VECTOR (version 5): the mitigations verified now; null before version 5.</summary>
    public ulong? CurrentMitigationVector { get; }

    /// <summary>The ECDSA P-384 signature as big-endian r||s (96 bytes).</summary>
    public ReadOnlyMemory<byte> Signature { get; }

    /// <summary>The bytes the signature covers: [0, 0x2A0).</summary>
    public ReadOnlyMemory<byte> SignedBytes => _bytes.AsMemory(0, SignedSize);

    /// <summary>The report's bytes.</summary>
    public ReadOnlyMemory<byte> Bytes => _bytes;

    /// <summary>True when the bytes look like a report: exactly <see cref="Size"/> bytes, a known version and signature algorithm 1.</summary>
    public static bool HasHeader(ReadOnlySpan<byte> evidence) =>
        evidence.Length == Size
        && System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(evidence) is >= MinimumVersion and <= MaximumVersion
        && System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(evidence[0x34..]) == SignatureAlgorithmEcdsaP384Sha384;

    /// <summary>Parses exactly <see cref="Size"/> bytes.</summary>
    /// <exception cref="EvidenceFormatException">The length is wrong, a reserved area is not zero, or a field has an unknown value.</exception>
    public static SnpReport Parse(ReadOnlySpan<byte> report)
    {
        if (report.Length != Size)
        {
            throw new EvidenceFormatException("SEV-SNP report", "length", -1, $"expected {Size} bytes, found {report.Length}");
        }

        return new SnpReport(report.ToArray());
    }
}
