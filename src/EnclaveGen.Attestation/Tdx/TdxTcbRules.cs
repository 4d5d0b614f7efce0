using EnclaveGen.Attestation.Formats;
using EnclaveGen.Attestation.X509;

namespace EnclaveGen.Attestation.Verification;

/// <summary>
/// Intel's TCB evaluation of a TDX quote, step for step as Intel's QVL does it: the TDX module's
/// signer and attributes against the TCB info (or the module identity <c>TDX_nn</c> that the
/// module's major version names), the first level both the PCK certificate's SGX TCB and the TD's
/// TEE_TCB_SVN reach (components 0 and 1 are the module's and are judged by its identity when its
/// version is not 0), the module identity's level merged in, for TD report 1.5 the relaunch check,
/// then the quoting enclave's status.
/// </summary>
internal sealed class TdxTcbRules(TdxQuote quote) : IDcapTcbRules
{
    public string TcbInfoId => "TDX";

    public QuotingEnclaveIdentity? BuiltInQe(TrustAnchor anchor) => anchor.TdxQuotingEnclave;

    public string QeIdentityId => "TD_QE";

    private ReadOnlySpan<byte> TeeTcbSvn => quote.ReportBody.TeeTcbSvn.Span;

    public PlatformTcb Evaluate(TcbInfo info, PckCertificateInfo pck, QeIdentityLevel qe)
    {
        TdxModuleIdentity? identity = CheckModule(info);
        TcbLevel? sgxLevel = null;
        TcbLevel? tdxLevel = null;
        foreach (TcbLevel level in DcapTcb.Ordered(info))
        {
            if (DcapTcb.ReachesSgx(level, pck))
            {
                sgxLevel ??= level;
                if (ReachesTdx(level))
                {
                    tdxLevel = level;
                    break;
                }
            }
        }

        if (sgxLevel is null)
        {
            throw DcapTcb.NoLevel("the platform's TCB (the PCK certificate's SGX components and PCE SVN)");
        }

        if (tdxLevel is null)
        {
            throw DcapTcb.NoLevel($"the TD's TEE_TCB_SVN {Convert.ToHexStringLower(TeeTcbSvn)}");
        }

        var advisories = new List<string>(tdxLevel.AdvisoryIds);
        var dates = new List<DateTimeOffset> { tdxLevel.TcbDate };
        TcbStatus tdxStatus = tdxLevel.Status;
        TcbStatus? moduleStatus = null;
        if (identity is not null)
        {
            TdxModuleLevel moduleLevel = identity.Levels.OrderByDescending(l => l.IsvSvn).FirstOrDefault(l => TeeTcbSvn[0] >= l.IsvSvn)
                ?? throw DcapTcb.NoLevel($"the TDX module's ISVSVN {TeeTcbSvn[0]} (identity {identity.Id})");
            moduleStatus = moduleLevel.Status;
            tdxStatus = DcapTcb.ConvergeWithModule(tdxStatus, moduleLevel.Status);
            advisories.AddRange(moduleLevel.AdvisoryIds.Where(a => !advisories.Contains(a)));
            dates.Add(moduleLevel.TcbDate);
        }

        if (tdxStatus != TcbStatus.Revoked && quote.ReportBody.TeeTcbSvn2 is { } svn2)
        {
            tdxStatus = CheckForRelaunch(svn2.Span, info, sgxLevel.Status, tdxStatus, moduleStatus, qe.Status);
        }

        TcbStatus final = tdxStatus == TcbStatus.Revoked ? tdxStatus : DcapTcb.ConvergeWithQe(tdxStatus, qe.Status);
        return new PlatformTcb(final, tdxStatus, moduleStatus, advisories, dates);
    }

    /// <summary>
    /// Intel's relaunch check (TDRelaunchCheck.cpp) for TD report 1.5: a TD that is out of date only
    /// because its TDX module is, on a platform whose module has since been updated
    /// (TEE_TCB_SVN2 reaches the latest module level and the latest level's TDX component 2), is
    /// told that relaunching brings it up to date.
    /// </summary>
    private static TcbStatus CheckForRelaunch(ReadOnlySpan<byte> svn2, TcbInfo info, TcbStatus sgxStatus, TcbStatus tdxStatus, TcbStatus? moduleStatus, TcbStatus qeStatus)
    {
        // Intel checks an up-to-date QE (its verifier reports every other QE status as out of date or revoked).
        bool applies = qeStatus == TcbStatus.UpToDate
            && sgxStatus is TcbStatus.UpToDate or TcbStatus.SWHardeningNeeded or TcbStatus.ConfigurationNeeded or TcbStatus.ConfigurationAndSWHardeningNeeded
            && tdxStatus is TcbStatus.OutOfDate or TcbStatus.OutOfDateConfigurationNeeded
            && moduleStatus == TcbStatus.OutOfDate;
        if (!applies)
        {
            return tdxStatus;
        }

        TcbLevel latest = DcapTcb.Ordered(info)[0];
        byte[] latestTdx = latest.TdxComponents ?? throw new EvidenceVerificationException("collateral.tcbInfo.format", "a TDX TCB level has no 'tdxtcbcomponents'");
        bool relaunchHelps;
        if (svn2[1] == 0)
        {
            relaunchHelps = svn2[0] >= latestTdx[0] && svn2[2] >= latestTdx[2];
        }
        else
        {
            string id = $"TDX_{svn2[1]:X2}";
            TdxModuleIdentity identity = info.TdxModuleIdentities.FirstOrDefault(i => string.Equals(i.Id, id, StringComparison.OrdinalIgnoreCase))
                ?? throw new EvidenceVerificationException("collateral.tcbInfo.tdxModule", $"TEE_TCB_SVN2 names a module of major version {svn2[1]}, but the TCB info has no module identity '{id}' (Intel: TDX module mismatch)");
            TdxModuleLevel latestModule = identity.Levels.OrderByDescending(l => l.IsvSvn).FirstOrDefault()
                ?? throw DcapTcb.NoLevel($"the module identity {identity.Id} (it has no level)");
            relaunchHelps = svn2[0] >= latestModule.IsvSvn && svn2[2] >= latestTdx[2];
        }

        if (!relaunchHelps)
        {
            return tdxStatus;
        }

        return DcapTcb.NeedsConfiguration(sgxStatus) || DcapTcb.NeedsConfiguration(tdxStatus) ? TcbStatus.TDRelaunchAdvisedConfigurationNeeded : TcbStatus.TDRelaunchAdvised;
    }

    /// <summary>
    /// Intel's TDX module check: MRSIGNERSEAM equal to the expected signer, and SEAMATTRIBUTES zero
    /// and equal to the expected attributes, where the expectation is the TCB info's <c>tdxModule</c>,
    /// or for a module of major version n &gt; 0 the identity <c>TDX_nn</c> (which must exist).
    /// </summary>
    /// <returns>The module identity, or null for a module of version 0.</returns>
    private TdxModuleIdentity? CheckModule(TcbInfo info)
    {
        TdxModuleExpectation module = info.TdxModule ?? throw new EvidenceVerificationException("collateral.tcbInfo.format", "the TDX TCB info has no 'tdxModule'");
        byte[] signer = module.MrSigner;
        byte[] attributes = module.Attributes;
        TdxModuleIdentity? identity = null;
        byte version = TeeTcbSvn[1];
        if (version > 0)
        {
            string id = $"TDX_{version:X2}";
            identity = info.TdxModuleIdentities.FirstOrDefault(i => string.Equals(i.Id, id, StringComparison.OrdinalIgnoreCase))
                ?? throw new EvidenceVerificationException("collateral.tcbInfo.tdxModule", $"the TD's module is of major version {version}, but the TCB info has no module identity '{id}' (Intel: TDX module mismatch)");
            signer = identity.MrSigner;
            attributes = identity.Attributes;
        }

        if (!quote.ReportBody.MrSignerSeam.Span.SequenceEqual(signer))
        {
            throw new EvidenceVerificationException("collateral.tcbInfo.tdxModule", $"MRSIGNERSEAM is {Convert.ToHexStringLower(quote.ReportBody.MrSignerSeam.Span)}, the TCB info expects {Convert.ToHexStringLower(signer)} (Intel: TDX module mismatch)");
        }

        Span<byte> seamAttributes = stackalloc byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(seamAttributes, quote.ReportBody.SeamAttributes);
        for (int i = 0; i < 8; i++)
        {
            // Intel's QVL requires each byte zero and equal to the expected value (its mask is not applied).
            if (seamAttributes[i] != 0 || seamAttributes[i] != attributes[i])
            {
                throw new EvidenceVerificationException("collateral.tcbInfo.tdxModule", $"SEAMATTRIBUTES are {Convert.ToHexStringLower(seamAttributes)}, the TCB info expects {Convert.ToHexStringLower(attributes)} and zero (Intel: TDX module mismatch)");
            }
        }

        return identity;
    }

    private bool ReachesTdx(TcbLevel level)
    {
        byte[] components = level.TdxComponents ?? throw new EvidenceVerificationException("collateral.tcbInfo.format", "a TDX TCB level has no 'tdxtcbcomponents'");
        ReadOnlySpan<byte> svn = TeeTcbSvn;
        for (int i = svn[1] > 0 ? 2 : 0; i < 16; i++)
        {
            if (svn[i] < components[i])
            {
                return false;
            }
        }

        return true;
    }
}
