namespace EnclaveGen.Attestation.Emulation;

/// <summary>Settings for a new <see cref="EmulatedAttestationAuthority"/>.</summary>
public sealed record EmulatedAuthorityOptions
{
    /// <summary>When the certificates become valid; null means one hour before now (to tolerate clock skew).</summary>
    public DateTimeOffset? NotBefore { get; init; }

    /// <summary>How long the certificates stay valid. Ten years by default.</summary>
    public TimeSpan Validity { get; init; } = TimeSpan.FromDays(3653);

    /// <summary>The emulated quoting enclave's ISVSVN (also the quote header's QE SVN).</summary>
    public ushort QeSvn { get; init; } = 1;

    /// <summary>The emulated PCE SVN in the quote header (and in the PCK certificate's TCB).</summary>
    public ushort PceSvn { get; init; } = 1;

    /// <summary>The 16 SGX TCB component SVNs recorded in the PCK certificate (all 1 by default).</summary>
    public ReadOnlyMemory<byte> PckTcbComponents { get; init; } = Enumerable.Repeat((byte)1, 16).ToArray();

    /// <summary>True to issue the PCK certificate under a "PCK Platform CA" (as multi-package platforms and TDX hosts have), false for a "PCK Processor CA".</summary>
    public bool PlatformCa { get; init; }

    /// <summary>The FMSPC recorded in the PCK certificate (6 bytes).</summary>
    public ReadOnlyMemory<byte> Fmspc { get; init; } = new byte[] { 0x00, 0xE6, 0x00, 0x00, 0x00, 0x00 };
}
