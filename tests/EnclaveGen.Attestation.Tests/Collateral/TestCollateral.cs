using EnclaveGen.Attestation.Emulation;
using EnclaveGen.Attestation.Verification;

namespace EnclaveGen.Attestation.Tests.Collateral;

/// <summary>
/// Builds complete Intel-format collateral under an emulated test root (root CA CRL, PCK CA CRL,
/// TCB info, QE identity), so each test states only the part it is about.
/// </summary>
internal static class TestCollateral
{
    /// <summary>16 components of SVN 1: what the emulated PCK certificate records by default.</summary>
    public static byte[] Ones { get; } = Enumerable.Repeat((byte)1, 16).ToArray();

    public static byte[] Twos { get; } = Enumerable.Repeat((byte)2, 16).ToArray();

    public static byte[] Zeros { get; } = new byte[16];

    public static DateTimeOffset Issued => Emulation.EmulatedAuthorityTests.During.AddDays(-5);

    public static DateTimeOffset Next => Emulation.EmulatedAuthorityTests.During.AddDays(25);

    public static EmulatedCollateralValidity Validity { get; } = new(Issued, Next) { TcbEvaluationDataNumber = 17 };

    /// <summary>The PCK at level "ones" is UpToDate, lower is OutOfDate; the QE (ISVSVN 3) is UpToDate.</summary>
    public static IReadOnlyList<EmulatedTcbLevel> UpToDateLevels { get; } = [new(Ones, 1, "UpToDate"), new(Zeros, 0, "OutOfDate") { AdvisoryIds = ["INTEL-SA-00001"] }];

    public static IReadOnlyList<EmulatedSvnLevel> QeUpToDate { get; } = [new(3, "UpToDate"), new(0, "OutOfDate") { AdvisoryIds = ["INTEL-SA-00615"] }];

    /// <summary>The CRLs of the root CA and the PCK CA, revoking <paramref name="revokedByPckCa"/> and <paramref name="revokedByRoot"/>.</summary>
    public static byte[][] Crls(EmulatedAttestationAuthority authority, IEnumerable<ReadOnlyMemory<byte>>? revokedByRoot = null, IEnumerable<ReadOnlyMemory<byte>>? revokedByPckCa = null) =>
        [authority.CreateCrl(byRoot: true, revokedByRoot ?? [], Issued, Next), authority.CreateCrl(byRoot: false, revokedByPckCa ?? [], Issued, Next)];

    /// <summary>Complete collateral for SGX quotes of <paramref name="authority"/>.</summary>
    public static AttestationCollateral SgxCollateral(EmulatedAttestationAuthority authority, IEnumerable<EmulatedTcbLevel>? levels = null, IEnumerable<EmulatedSvnLevel>? qe = null, EmulatedCollateralValidity? validity = null) =>
        new(Crls(authority))
        {
            TcbInfo = authority.CreateTcbInfoCollateral(validity ?? Validity, levels ?? UpToDateLevels),
            QeIdentity = authority.CreateQeIdentityCollateral(validity ?? Validity, qe ?? QeUpToDate),
        };

    /// <summary>Complete collateral for TDX quotes of <paramref name="authority"/>.</summary>
    public static AttestationCollateral TdxCollateral(EmulatedAttestationAuthority authority, IEnumerable<EmulatedTcbLevel> levels, EmulatedTdxModule module, IEnumerable<EmulatedSvnLevel>? qe = null) =>
        new(Crls(authority))
        {
            TcbInfo = authority.CreateTcbInfoCollateral(Validity, levels, module),
            QeIdentity = authority.CreateQeIdentityCollateral(Validity, qe ?? QeUpToDate, tdx: true),
        };

    public static EvidenceInput Input(AttestationCollateral collateral) => new() { Collateral = collateral };
}
