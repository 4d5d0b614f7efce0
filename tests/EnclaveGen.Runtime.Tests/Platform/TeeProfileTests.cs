using System.Security.Cryptography;
using EnclaveGen.Attestation;
using EnclaveGen.Attestation.Emulation;
using EnclaveGen.Attestation.Formats;
using EnclaveGen.Attestation.Verification;
using EnclaveGen.Runtime.Attestation;
using EnclaveGen.Runtime.Tests.Enclaves;
using EnclaveGen.Runtime.Tests.Platform.Tsm;

namespace EnclaveGen.Runtime.Tests.Platform;

/// <summary>
/// The platform seam: the profile chosen by <see cref="EnclaveOptions.Profile"/> decides what
/// evidence an enclave gives. The default stays the emulated SGX quote; the emulated confidential VM
/// gives SEV-SNP reports that bind the enclave's report body; the real CVM profile asks the kernel.
/// </summary>
public sealed class TeeProfileTests : IDisposable
{
    private readonly EnclavePlatform _platform = EnclavePlatform.CreateInMemory();

    public void Dispose() => _platform.Dispose();

    [Fact]
    public async Task TheDefaultProfileStillGivesAnEmulatedSgxQuote()
    {
        await using Aggregator.Proxy enclave = await Aggregator.CreateEnclaveAsync(new EnclaveOptions { Platform = _platform, Profile = TeeProfile.SgxEmulated });

        (string format, byte[] evidence, IReadOnlyList<byte[]> certificates, byte[] enclaveReport, bool isEmulated) = enclave.Evidence([1, 2]);

        Assert.Equal("sgx-quote", format);
        Assert.Empty(certificates);
        Assert.Empty(enclaveReport);
        Assert.True(isEmulated);
        SgxClaims claims = new AttestationVerifier([_platform.AttestationTrustAnchor]).Verify<SgxClaims>(evidence, new AttestationPolicy { AllowEmulated = true, AllowDebug = true });
        Assert.Equal(enclave.Identity.Mrenclave.AsSpan().ToArray(), claims.UniqueId.ToArray());
    }

    [Fact]
    public async Task TheEmulatedCvmGivesAnSnpReportThatBindsTheEnclaveAndItsReportData()
    {
        await using Aggregator.Proxy enclave = await Aggregator.CreateEnclaveAsync(new EnclaveOptions { Platform = _platform, Profile = TeeProfile.CvmEmulated });
        byte[] channelKeyHash = SHA256.HashData("channel key"u8);

        (string format, byte[] evidence, IReadOnlyList<byte[]> certificates, byte[] enclaveReport, bool isEmulated) = enclave.Evidence(channelKeyHash);

        Assert.Equal("snp-report", format);
        Assert.True(isEmulated);
        var verifier = new AttestationVerifier([.. TrustAnchor.Defaults, _platform.CvmTrustAnchor]);
        var input = new EvidenceInput { Certificates = certificates };
        SnpClaims vm = verifier.Verify<SnpClaims>(evidence, new AttestationPolicy { AllowEmulated = true }, input);
        Assert.True(vm.IsEmulated);
        Assert.Equal(EmulatedSnpAuthority.EmulatedVmMeasurement.ToArray(), vm.Measurement.ToArray());
        SgxReportBody inside = CvmEnclaveBinding.Check(vm, enclaveReport);
        Assert.Equal(enclave.Identity.Mrenclave.AsSpan().ToArray(), inside.MrEnclave.ToArray());
        Assert.Equal(enclave.Identity.Mrsigner.AsSpan().ToArray(), inside.MrSigner.ToArray());
        Assert.Equal([.. channelKeyHash, .. new byte[32]], inside.ReportData.ToArray());

        Assert.Equal("policy.emulated", Assert.Throws<AttestationPolicyException>(() => verifier.Verify(evidence, new AttestationPolicy(), input)).Check);
        Assert.ThrowsAny<AttestationException>(() => new AttestationVerifier().Check(evidence, DateTimeOffset.UtcNow, input));
        byte[] otherEnclave = (byte[])enclaveReport.Clone();
        otherEnclave[64] ^= 1;
        Assert.Throws<EvidenceVerificationException>(() => CvmEnclaveBinding.Check(vm, otherEnclave));
    }

    [Fact]
    public async Task TheEmulatedTdxCvmGivesATdxQuoteThatBindsTheEnclave()
    {
        await using Aggregator.Proxy enclave = await Aggregator.CreateEnclaveAsync(new EnclaveOptions { Platform = _platform, Profile = TeeProfile.CvmEmulatedTdx });

        (string format, byte[] evidence, IReadOnlyList<byte[]> certificates, byte[] enclaveReport, bool isEmulated) = enclave.Evidence([5, 6, 7]);

        Assert.Equal("tdx-quote", format);
        Assert.Empty(certificates);
        Assert.True(isEmulated);
        var verifier = new AttestationVerifier([.. TrustAnchor.Defaults, _platform.AttestationTrustAnchor]);
        TdxClaims td = verifier.Verify<TdxClaims>(evidence, new AttestationPolicy { AllowEmulated = true });
        Assert.Equal("tdx", td.Format.Family);
        Assert.Equal(EmulatedTdxEvidence.EmulatedTdMeasurement.ToArray(), td.MrTd.ToArray());
        SgxReportBody inside = CvmEnclaveBinding.Check(td, enclaveReport);
        Assert.Equal(enclave.Identity.Mrenclave.AsSpan().ToArray(), inside.MrEnclave.ToArray());
        Assert.Equal("policy.emulated", Assert.Throws<AttestationPolicyException>(() => verifier.Verify(evidence, new AttestationPolicy())).Check);
        byte[] tampered = (byte[])evidence.Clone();
        tampered[48 + 136] ^= 1; // inside MRTD
        Assert.ThrowsAny<AttestationException>(() => verifier.Check(tampered, DateTimeOffset.UtcNow));
    }

    [Fact]
    public async Task UnderACvmProfileAChannelOfferCarriesTheVmEvidenceWithTheEnclaveItBinds()
    {
        await using Aggregator.Proxy enclave = await Aggregator.CreateEnclaveAsync(new EnclaveOptions { Platform = _platform, Profile = TeeProfile.CvmEmulated });

        (byte[] evidence, _) = enclave.Offer([]);

        Assert.True(EnclaveGen.Attestation.Cvm.CvmEnclaveEvidence.HasHeader(evidence));
        Assert.Same(EvidenceFormat.CvmEnclave, EvidenceVerifiers.Detect(evidence));
        Assert.Same(EvidenceFormat.SnpReport, EvidenceVerifiers.Detect(EnclaveGen.Attestation.Cvm.CvmEnclaveEvidence.Parse(evidence).VmEvidence));
    }

    [Fact]
    public void TheRealCvmProfileBindsTheEnclaveReportThroughTheKernelsInblob()
    {
        using var kernel = new FakeTsmKernel("tdx_guest");
        byte[] quote = RealEvidence.Bytes("tdx-quote-v4-gcp.bin");
        kernel.Sign(TdxQuote.Parse(quote).ReportBody.ReportData.Span, quote);
        var body = new SgxReportBody { MrEnclave = SHA256.HashData("enclave"u8), ReportData = new byte[64] };

        var e = Assert.Throws<TsmReportException>(() => new TsmEvidence(new TsmReportProvider(kernel.Root, kernel)).Create(body));

        // The hardware signed only its real quote, so the binding it was asked for is not in it.
        Assert.Equal(TsmReportFailure.ReportDataMismatch, e.Reason);
        Assert.Equal(CvmEnclaveBinding.ReportData(body), kernel.LastInBlob);
    }

    [Theory]
    [InlineData("sgx-emulated", TeeProfile.SgxEmulated)]
    [InlineData("CVM-Emulated", TeeProfile.CvmEmulated)]
    [InlineData(" cvm ", TeeProfile.Cvm)]
    [InlineData("cvm-emulated-tdx", TeeProfile.CvmEmulatedTdx)]
    public void ProfileNamesParse(string name, TeeProfile expected)
    {
        Assert.Equal(expected, TeeProfiles.Parse(name));
        Assert.Equal(expected, TeeProfiles.Parse(TeeProfiles.Name(expected)));
        Assert.Equal(expected, TeeProfiles.Resolve(expected));
    }

    [Fact]
    public void AnUnknownProfileNameListsTheKnownOnes()
    {
        var e = Assert.Throws<ArgumentException>(() => TeeProfiles.Parse("trustzone"));
        Assert.Contains("sgx-emulated, cvm-emulated, cvm, cvm-emulated-tdx", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => new EnclaveOptions { Profile = (TeeProfile)7 }.Validate());
    }
}
