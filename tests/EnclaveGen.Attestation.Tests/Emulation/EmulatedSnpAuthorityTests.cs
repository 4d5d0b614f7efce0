using System.Security.Cryptography;
using EnclaveGen.Attestation.Emulation;
using EnclaveGen.Attestation.Formats;
using EnclaveGen.Attestation.Verification;

namespace EnclaveGen.Attestation.Tests.Emulation;

/// <summary>
/// Emulated SEV-SNP reports (the emulated confidential VM's evidence): the real SNP verifier checks
/// them under the emulated ARK, reports them as emulated, the default policy refuses them, and any
/// change to the signed bytes, the signature or the certificates is refused.
/// </summary>
public sealed class EmulatedSnpAuthorityTests
{
    private static readonly byte[] s_seed = SHA256.HashData("emulated snp authority tests"u8);
    private static readonly EmulatedSnpAuthority s_authority = EmulatedSnpAuthority.Create(s_seed);
    private static readonly AttestationVerifier s_verifier = new([.. TrustAnchor.Defaults, s_authority.TrustAnchor]);
    private static readonly DateTimeOffset s_now = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void ReportVerifiesAsAnEmulatedVersion3MilanReportWithItsFields()
    {
        byte[] reportData = SHA512.HashData("bound"u8);
        byte[] hostData = SHA256.HashData("host data"u8);

        byte[] report = s_authority.CreateReport(reportData, hostData: hostData);
        SnpClaims claims = s_verifier.Verify<SnpClaims>(report, new AttestationPolicy { AllowEmulated = true, VerificationTime = s_now }, new EvidenceInput { Certificates = s_authority.Certificates });

        Assert.Same(EvidenceFormat.SnpReport, claims.Format);
        Assert.Equal("sev-snp", claims.Format.Family);
        Assert.True(claims.IsEmulated);
        Assert.False(claims.IsDebug);
        Assert.Equal(3U, claims.Report.Version);
        Assert.Equal("Milan", claims.ProductName);
        Assert.Equal(0U, claims.Report.Vmpl);
        Assert.Equal(reportData, claims.ReportData.ToArray());
        Assert.Equal(EmulatedSnpAuthority.EmulatedVmMeasurement.ToArray(), claims.Measurement.ToArray());
        Assert.Equal(hostData, claims.Report.HostData.ToArray());
        Assert.Equal(s_authority.ChipId.ToArray(), claims.Report.ChipId.ToArray());
        Assert.Equal(EmulatedSnpAuthority.Tcb, claims.ReportedTcb);
        Assert.Equal("EnclaveGen emulated ARK", claims.TrustAnchor.Name);
    }

    [Fact]
    public void TheDefaultPolicyRefusesItAndTheRealAmdRootsDoNotVouchForIt()
    {
        byte[] report = s_authority.CreateReport([1, 2, 3]);
        EvidenceInput input = new() { Certificates = s_authority.Certificates };

        var emulated = Assert.Throws<AttestationPolicyException>(() => s_verifier.Verify(report, new AttestationPolicy { VerificationTime = s_now }, input));
        Assert.Equal("policy.emulated", emulated.Check);
        Assert.ThrowsAny<AttestationException>(() => new AttestationVerifier().Check(report, s_now, input));
        Assert.ThrowsAny<AttestationException>(() => new AttestationVerifier().Check(report, s_now, new EvidenceInput { Certificates = [.. s_authority.Certificates, s_authority.ArkCertificateDer.ToArray()] }));
    }

    [Fact]
    public void EveryFlippedBitInTheSignedBytesOrTheSignatureIsRefused()
    {
        byte[] report = s_authority.CreateReport(SHA512.HashData("tamper"u8));
        EvidenceInput input = new() { Certificates = s_authority.Certificates };
        Assert.NotNull(s_verifier.Check(report, s_now, input));

        // Every byte of the signed region and of r and s, one bit each (rotating through the bits).
        IEnumerable<int> offsets = Enumerable.Range(0, SnpReport.SignedSize + 48).Concat(Enumerable.Range(SnpReport.SignedSize + 72, 48));
        foreach (int offset in offsets)
        {
            byte[] tampered = (byte[])report.Clone();
            tampered[offset] ^= (byte)(1 << (offset % 8));
            Assert.ThrowsAny<AttestationException>(() => s_verifier.Check(tampered, s_now, input));
        }
    }

    [Fact]
    public void AChangedCertificateIsRefused()
    {
        byte[] report = s_authority.CreateReport([7]);
        byte[] vcek = s_authority.VcekCertificateDer.ToArray();
        vcek[^10] ^= 1;
        EmulatedSnpAuthority other = EmulatedSnpAuthority.Create(SHA256.HashData("another platform"u8));

        Assert.ThrowsAny<AttestationException>(() => s_verifier.Check(report, s_now, new EvidenceInput { Certificates = [vcek, s_authority.AskCertificateDer.ToArray()] }));
        Assert.ThrowsAny<AttestationException>(() => s_verifier.Check(report, s_now, new EvidenceInput { Certificates = other.Certificates }));
    }

    [Fact]
    public void TheAuthorityIsAFunctionOfItsSeed()
    {
        EmulatedSnpAuthority again = EmulatedSnpAuthority.Create(s_seed);
        EmulatedSnpAuthority other = EmulatedSnpAuthority.Create(SHA256.HashData("another platform"u8));

        Assert.Equal(s_authority.ArkCertificateDer.ToArray(), again.ArkCertificateDer.ToArray());
        Assert.Equal(s_authority.VcekCertificateDer.ToArray(), again.VcekCertificateDer.ToArray());
        Assert.NotEqual(s_authority.ArkCertificateDer.ToArray(), other.ArkCertificateDer.ToArray());
        Assert.NotEqual(s_authority.ChipId.ToArray(), other.ChipId.ToArray());
        Assert.Throws<ArgumentException>(() => EmulatedSnpAuthority.Create(new byte[31]));
    }

    [Fact]
    public void ARelyingPartyWithOnlyTheArkCertificateMakesAnEmulatedAnchor()
    {
        TrustAnchor anchor = EmulatedSnpAuthority.CreateTrustAnchor(s_authority.ArkCertificateDer.Span);
        byte[] report = s_authority.CreateReport([9]);

        AttestationClaims claims = new AttestationVerifier([anchor]).Check(report, s_now, new EvidenceInput { Certificates = s_authority.Certificates });

        Assert.True(claims.IsEmulated);
        Assert.True(EmulatedSnpAuthority.IsEmulatedArk(s_authority.ArkCertificateDer.Span));
        Assert.False(EmulatedSnpAuthority.IsEmulatedArk(TrustAnchor.AmdMilanArk.CertificateDer.Span));
        Assert.Throws<AttestationException>(() => EmulatedSnpAuthority.CreateTrustAnchor(TrustAnchor.AmdMilanArk.CertificateDer.Span));
    }

    [Fact]
    public void TheCvmBindingAcceptsTheBoundEnclaveReportAndRefusesAnyOther()
    {
        var body = new SgxReportBody
        {
            Attributes = new SgxAttributes(SgxAttributes.Init | SgxAttributes.Mode64Bit, 3),
            MrEnclave = SHA256.HashData("enclave"u8),
            MrSigner = SHA256.HashData("signer"u8),
            IsvProdId = 4,
            IsvSvn = 2,
            ReportData = SHA512.HashData("channel key"u8),
        };
        byte[] report = s_authority.CreateReport(CvmEnclaveBinding.ReportData(body));
        AttestationClaims claims = s_verifier.Check(report, s_now, new EvidenceInput { Certificates = s_authority.Certificates });

        SgxReportBody bound = CvmEnclaveBinding.Check(claims, body.ToBytes());

        Assert.Equal(body.MrEnclave.ToArray(), bound.MrEnclave.ToArray());
        Assert.Equal(body.ReportData.ToArray(), bound.ReportData.ToArray());
        byte[] other = body.ToBytes();
        other[64] ^= 1; // MRENCLAVE
        Assert.Equal("binding.enclave", Assert.Throws<EvidenceVerificationException>(() => CvmEnclaveBinding.Check(claims, other)).Check);
        Assert.Throws<EvidenceFormatException>(() => CvmEnclaveBinding.Check(claims, body.ToBytes().AsSpan(0, 100)));
    }
}
