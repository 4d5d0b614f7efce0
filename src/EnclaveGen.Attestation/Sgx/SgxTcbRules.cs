using EnclaveGen.Attestation.X509;

namespace EnclaveGen.Attestation.Verification;

/// <summary>Intel's TCB evaluation of an SGX quote: the first level (in QVL order) the PCK certificate's TCB reaches, merged with the QE's status.</summary>
internal sealed class SgxTcbRules : IDcapTcbRules
{
    public static SgxTcbRules Instance { get; } = new();

    public string TcbInfoId => "SGX";

    public QuotingEnclaveIdentity? BuiltInQe(TrustAnchor anchor) => anchor.QuotingEnclave;

    public string QeIdentityId => "QE";

    public PlatformTcb Evaluate(TcbInfo info, PckCertificateInfo pck, QeIdentityLevel qe)
    {
        foreach (TcbLevel level in DcapTcb.Ordered(info))
        {
            if (DcapTcb.ReachesSgx(level, pck))
            {
                return new PlatformTcb(DcapTcb.ConvergeWithQe(level.Status, qe.Status), level.Status, null, level.AdvisoryIds, [level.TcbDate]);
            }
        }

        throw DcapTcb.NoLevel("the platform's TCB (the PCK certificate's SGX components and PCE SVN)");
    }
}
