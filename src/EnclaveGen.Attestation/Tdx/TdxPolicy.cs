using EnclaveGen.Attestation.Formats;

namespace EnclaveGen.Attestation.Verification;

/// <summary>
/// What a relying party requires of TDX quotes beyond the common claims: the TD's measurements and
/// configuration, its attributes, and the TDX module's minimum TCB. Check identifiers <c>policy.tdx.*</c>.
/// </summary>
public sealed record TdxPolicy : FormatPolicy
{
    /// <summary>The exact MRTD (48 bytes), the TD's initial contents; null accepts any.</summary>
    public ReadOnlyMemory<byte>? MrTd { get; init; }

    /// <summary>The exact RTMR0 (48 bytes; firmware configuration); null accepts any.</summary>
    public ReadOnlyMemory<byte>? Rtmr0 { get; init; }

    /// <summary>The exact RTMR1 (48 bytes; the OS loader and kernel); null accepts any.</summary>
    public ReadOnlyMemory<byte>? Rtmr1 { get; init; }

    /// <summary>The exact RTMR2 (48 bytes; the kernel command line and initrd); null accepts any.</summary>
    public ReadOnlyMemory<byte>? Rtmr2 { get; init; }

    /// <summary>The exact RTMR3 (48 bytes; whatever the TD extends at run time); null accepts any.</summary>
    public ReadOnlyMemory<byte>? Rtmr3 { get; init; }

    /// <summary>The exact MRCONFIGID (48 bytes); null accepts any.</summary>
    public ReadOnlyMemory<byte>? MrConfigId { get; init; }

    /// <summary>The exact MROWNER (48 bytes); null accepts any.</summary>
    public ReadOnlyMemory<byte>? MrOwner { get; init; }

    /// <summary>The exact MROWNERCONFIG (48 bytes); null accepts any.</summary>
    public ReadOnlyMemory<byte>? MrOwnerConfig { get; init; }

    /// <summary>
    /// The TDATTRIBUTES required under <see cref="TdAttributesMask"/> (for example SEPT_VE_DISABLE,
    /// bit 28, set; PKS and PERFMON clear); null accepts any. The DEBUG bit is the common policy's
    /// <see cref="AttestationPolicy.AllowDebug"/>.
    /// </summary>
    public ulong? TdAttributes { get; init; }

    /// <summary>Which TDATTRIBUTES bits <see cref="TdAttributes"/> fixes; by default all but DEBUG (bit 0).</summary>
    public ulong TdAttributesMask { get; init; } = ~TdxReportBody.TdAttributesDebug;

    /// <summary>
    /// The exact MRSERVICETD (48 bytes) of a TD report 1.5; null accepts any. Set, it refuses TD
    /// report 1.0 evidence, which has none. All zeros requires a TD without service TDs.
    /// </summary>
    public ReadOnlyMemory<byte>? MrServiceTd { get; init; }

    /// <summary>The lowest TEE_TCB_SVN accepted, component by component (16 bytes); null accepts any.</summary>
    public ReadOnlyMemory<byte>? MinimumTeeTcbSvn { get; init; }

    /// <inheritdoc/>
    public override EvidenceFormat Format => EvidenceFormat.TdxQuote;

    /// <inheritdoc/>
    public override void Enforce(AttestationClaims claims)
    {
        TdxReportBody report = Expect<TdxClaims>(claims).Report;
        RequireEqual("policy.tdx.mrTd", MrTd, report.MrTd);
        ReadOnlyMemory<byte>?[] rtmrs = [Rtmr0, Rtmr1, Rtmr2, Rtmr3];
        for (int i = 0; i < 4; i++)
        {
            RequireEqual($"policy.tdx.rtmr{i}", rtmrs[i], report.Rtmrs.Slice(i * 48, 48));
        }

        RequireEqual("policy.tdx.mrConfigId", MrConfigId, report.MrConfigId);
        RequireEqual("policy.tdx.mrOwner", MrOwner, report.MrOwner);
        RequireEqual("policy.tdx.mrOwnerConfig", MrOwnerConfig, report.MrOwnerConfig);
        if (MrServiceTd is { } serviceTd && (report.MrServiceTd is not { } actualServiceTd || !serviceTd.Span.SequenceEqual(actualServiceTd.Span)))
        {
            throw new AttestationPolicyException("policy.tdx.mrServiceTd", Convert.ToHexStringLower(serviceTd.Span), report.MrServiceTd is { } found ? Convert.ToHexStringLower(found.Span) : "a TD report 1.0, which has no MRSERVICETD");
        }

        if (TdAttributes is { } attributes && (report.TdAttributes & TdAttributesMask) != (attributes & TdAttributesMask))
        {
            throw new AttestationPolicyException("policy.tdx.tdAttributes", $"TDATTRIBUTES 0x{attributes & TdAttributesMask:x16} under mask 0x{TdAttributesMask:x16}", $"0x{report.TdAttributes:x16}");
        }

        if (MinimumTeeTcbSvn is { } minimum)
        {
            ReadOnlySpan<byte> actual = report.TeeTcbSvn.Span;
            for (int i = 0; i < 16; i++)
            {
                if (minimum.Length != 16 || actual[i] < minimum.Span[i])
                {
                    throw new AttestationPolicyException("policy.tdx.teeTcbSvn", $"TEE_TCB_SVN of at least {Convert.ToHexStringLower(minimum.Span)} in every component", Convert.ToHexStringLower(actual));
                }
            }
        }
    }
}
