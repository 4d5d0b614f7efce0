using EnclaveGen.Attestation.X509;

namespace EnclaveGen.Attestation.Verification;

/// <summary>
/// The steps of Intel's TCB evaluation that SGX and TDX share, as Intel's quote verification
/// library (QVL) performs them: the order of TCB levels, the SGX component comparison, and the
/// merges of a platform status with the quoting enclave's and the TDX module's.
/// </summary>
internal static class DcapTcb
{
    /// <summary>
    /// The levels in the order Intel's QVL walks them: it keeps them in a set sorted from highest to
    /// lowest by SGX components (compared as a byte string), then PCE SVN, then for TDX the TDX
    /// components; levels equal under that order collapse into the first one read.
    /// </summary>
    public static IReadOnlyList<TcbLevel> Ordered(TcbInfo info)
    {
        var ordered = new List<TcbLevel>();
        foreach (TcbLevel level in info.Levels.OrderByDescending(l => l, Comparer<TcbLevel>.Create((a, b) => Compare(a, b, info.IsTdx))))
        {
            if (ordered.Count == 0 || Compare(ordered[^1], level, info.IsTdx) != 0)
            {
                ordered.Add(level);
            }
        }

        return ordered;
    }

    /// <summary>True when every SGX component SVN and the PCE SVN of the PCK certificate reach the level's.</summary>
    public static bool ReachesSgx(TcbLevel level, PckCertificateInfo pck)
    {
        ReadOnlySpan<byte> components = pck.TcbComponents.Span;
        for (int i = 0; i < 16; i++)
        {
            if (components[i] < level.SgxComponents[i])
            {
                return false;
            }
        }

        return pck.PceSvn >= level.PceSvn;
    }

    /// <summary>
    /// Intel's merge with the quoting enclave's status: an out-of-date QE turns UpToDate and
    /// SWHardeningNeeded into OutOfDate and the configuration statuses into
    /// OutOfDateConfigurationNeeded; a revoked QE revokes; otherwise the platform's status stands.
    /// </summary>
    public static TcbStatus ConvergeWithQe(TcbStatus platform, TcbStatus qe) =>
        // Intel's EnclaveReportVerifier reports UpToDate as OK, Revoked as revoked and any other QE status as out of date.
        qe switch
        {
            TcbStatus.UpToDate => platform,
            TcbStatus.Revoked => TcbStatus.Revoked,
            _ => OutOfDate(platform),
        };

    /// <summary>Intel's merge with the TDX module's status (UpToDate, OutOfDate or Revoked), the same rule as for the QE.</summary>
    public static TcbStatus ConvergeWithModule(TcbStatus platform, TcbStatus module) =>
        module switch
        {
            TcbStatus.OutOfDate => OutOfDate(platform),
            TcbStatus.Revoked => TcbStatus.Revoked,
            _ => platform,
        };

    /// <summary>True for the statuses that ask for a configuration change.</summary>
    public static bool NeedsConfiguration(TcbStatus status) =>
        status is TcbStatus.ConfigurationNeeded or TcbStatus.OutOfDateConfigurationNeeded or TcbStatus.ConfigurationAndSWHardeningNeeded or TcbStatus.TDRelaunchAdvisedConfigurationNeeded;

    /// <summary>The no-level failure Intel reports as STATUS_TCB_NOT_SUPPORTED.</summary>
    public static EvidenceVerificationException NoLevel(string what) =>
        new("collateral.tcbInfo.tcb", $"{what} is below every TCB level of the TCB info (Intel: TCB not supported); fetch current collateral, or the platform needs an update");

    private static TcbStatus OutOfDate(TcbStatus platform) => platform switch
    {
        TcbStatus.UpToDate or TcbStatus.SWHardeningNeeded => TcbStatus.OutOfDate,
        TcbStatus.ConfigurationNeeded or TcbStatus.ConfigurationAndSWHardeningNeeded => TcbStatus.OutOfDateConfigurationNeeded,
        _ => platform,
    };

    private static int Compare(TcbLevel a, TcbLevel b, bool tdx)
    {
        int sgx = a.SgxComponents.AsSpan().SequenceCompareTo(b.SgxComponents);
        if (sgx != 0)
        {
            return sgx;
        }

        int pce = a.PceSvn.CompareTo(b.PceSvn);
        return pce != 0 || !tdx ? pce : (a.TdxComponents ?? []).AsSpan().SequenceCompareTo(b.TdxComponents ?? []);
    }
}
