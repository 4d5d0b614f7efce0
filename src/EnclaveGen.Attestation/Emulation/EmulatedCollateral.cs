namespace EnclaveGen.Attestation.Emulation;

/// <summary>When emulated collateral is current, its evaluation number, and who signs it.</summary>
/// <param name="IssueDate">When it was issued.</param>
/// <param name="NextUpdate">When it stops being current.</param>
public sealed record EmulatedCollateralValidity(DateTimeOffset IssueDate, DateTimeOffset NextUpdate)
{
    /// <summary>The <c>tcbEvaluationDataNumber</c> written into the collateral.</summary>
    public uint TcbEvaluationDataNumber { get; init; } = 1;

    /// <summary>
    /// The signing certificate's common name. The default is the emulated TCB Signing certificate's,
    /// the only signer an emulated anchor accepts; anything else makes collateral that must be refused.
    /// </summary>
    public string? SignerCommonName { get; init; }
}

/// <summary>A TCB level of emulated TCB info.</summary>
/// <param name="SgxComponents">The 16 SGX TCB component SVNs the level needs.</param>
/// <param name="PceSvn">The PCE SVN the level needs.</param>
/// <param name="Status">The status, spelled as Intel spells it (any text, so tests can write unknown ones).</param>
public sealed record EmulatedTcbLevel(ReadOnlyMemory<byte> SgxComponents, ushort PceSvn, string Status)
{
    /// <summary>The 16 TDX TCB component SVNs the level needs (TDX TCB info only).</summary>
    public ReadOnlyMemory<byte>? TdxComponents { get; init; }

    /// <summary>The security advisories of the level.</summary>
    public IReadOnlyList<string> AdvisoryIds { get; init; } = [];

    /// <summary>The level's tcbDate; null for the collateral's issue date.</summary>
    public DateTimeOffset? TcbDate { get; init; }
}

/// <summary>A TCB level keyed by an ISVSVN: of a QE identity, or of a TDX module identity.</summary>
/// <param name="IsvSvn">The ISVSVN the level needs.</param>
/// <param name="Status">The status, spelled as Intel spells it.</param>
public sealed record EmulatedSvnLevel(ushort IsvSvn, string Status)
{
    /// <summary>The security advisories of the level.</summary>
    public IReadOnlyList<string> AdvisoryIds { get; init; } = [];

    /// <summary>The level's tcbDate; null for the collateral's issue date.</summary>
    public DateTimeOffset? TcbDate { get; init; }
}

/// <summary>What emulated TDX TCB info says about the TDX module.</summary>
public sealed record EmulatedTdxModule
{
    /// <summary>The expected MRSIGNERSEAM (48 bytes; zero for Intel's module).</summary>
    public ReadOnlyMemory<byte> MrSigner { get; init; } = new byte[48];

    /// <summary>The module identities (<c>TDX_01</c>, ...) with their levels.</summary>
    public IReadOnlyList<(string Id, IReadOnlyList<EmulatedSvnLevel> Levels)> Identities { get; init; } = [];
}
