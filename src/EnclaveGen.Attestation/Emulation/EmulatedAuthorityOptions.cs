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

    /// <summary>The emulated PCE SVN in the quote header.</summary>
    public ushort PceSvn { get; init; } = 1;
}
