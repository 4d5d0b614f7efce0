namespace EnclaveGen.Attestation.Formats;

/// <summary>
/// The AMD EPYC generations that run SEV-SNP, named as AMD's Key Distribution Service names them,
/// and how a report says which one made it.
/// </summary>
public static class SnpProducts
{
    /// <summary>3rd generation EPYC (family 19h, models 00h-0Fh).</summary>
    public const string Milan = "Milan";

    /// <summary>4th generation EPYC (family 19h, models 10h-1Fh and A0h-AFh).</summary>
    public const string Genoa = "Genoa";

    /// <summary>5th generation EPYC (family 1Ah, models 00h-11h).</summary>
    public const string Turin = "Turin";

    /// <summary>The product of a report's CPUID_FAM_ID and CPUID_MOD_ID (version 3 and later), or null for a processor this table does not know.</summary>
    public static string? FromCpuid(byte family, byte model) => family switch
    {
        0x19 when model <= 0x0F => Milan,
        0x19 when model is >= 0x10 and <= 0x1F or >= 0xA0 and <= 0xAF => Genoa,
        0x1A when model <= 0x11 => Turin,
        _ => null,
    };

    /// <summary>True for family 1Ah (Turin) and later, whose TCB_VERSION has an FMC SPL and whose CHIP_ID is 8 bytes.</summary>
    public static bool HasTurinLayout(byte family) => family >= 0x1A;
}
