using EnclaveGen.Attestation.Formats;
using EnclaveGen.Attestation.Verification;

namespace EnclaveGen.Runtime.Tests.Platform.Tsm;

/// <summary>
/// The configfs TSM report provider against <see cref="FakeTsmKernel"/>, fed with real SEV-SNP
/// reports and TDX quotes (tests/testdata/attestation): what it returns must verify with the
/// attestation library's verifiers, and every failure is a typed error that leaves no entry behind.
/// </summary>
public sealed class TsmReportProviderTests
{
    private static readonly DateTimeOffset s_june2025 = new(2025, 6, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset s_march2026 = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void RealSnpReportWithItsVlekFromTheCertificateTableVerifies()
    {
        byte[] report = RealEvidence.Bytes("snp-report-v3-vlek-milan.bin");
        byte[] vlek = RealEvidence.Bytes("snp-vlek-milan.der");
        byte[] reportData = SnpReport.Parse(report).ReportData.ToArray();
        using var kernel = new FakeTsmKernel("sev_guest");
        kernel.Sign(reportData, report, SnpCertificateTable.Write([(SnpCertificateTable.Vlek, vlek)]));

        TsmReport result = new TsmReportProvider(kernel.Root, kernel).GetReport(reportData, privilegeLevel: 1);

        Assert.Equal("sev_guest", result.Provider);
        Assert.Same(EvidenceFormat.SnpReport, result.Format);
        Assert.Equal("sev-snp", result.Family);
        Assert.Equal(report, result.Evidence);
        Assert.Equal([vlek], result.Certificates);
        Assert.Equal(2UL, result.Generation);
        SnpClaims claims = new AttestationVerifier().Check<SnpClaims>(result.Evidence, s_june2025, result.Input);
        Assert.False(claims.IsEmulated);
        Assert.Equal(reportData, claims.ReportData.ToArray());
        Assert.Equal("VLEK", claims.SigningKey);
        Assert.Empty(kernel.LeftEntries());
    }

    [Fact]
    public void RealVcekSignedReportWithItsWholeChainInTheTableVerifies()
    {
        byte[] report = RealEvidence.Bytes("snp-report-v2-debug.bin");
        IReadOnlyList<byte[]> askArk = TrustAnchor.ReadCertificates(RealEvidence.Bytes("snp-ask-ark-milan.pem"));
        byte[] vcek = RealEvidence.Bytes("snp-vcek-milan.der");
        byte[] reportData = SnpReport.Parse(report).ReportData.ToArray();
        using var kernel = new FakeTsmKernel("sev_guest");
        kernel.Sign(reportData, report, SnpCertificateTable.Write([(SnpCertificateTable.Ark, askArk[1]), (SnpCertificateTable.Vcek, vcek), (SnpCertificateTable.Ask, askArk[0])]));

        TsmReport result = new TsmReportProvider(kernel.Root, kernel).GetReport(reportData.AsSpan(0, 5));

        Assert.Equal([vcek, askArk[0], askArk[1]], result.Certificates);
        Assert.Equal(1UL, result.Generation);
        SnpClaims claims = new AttestationVerifier().Check<SnpClaims>(result.Evidence, s_june2025, result.Input);
        Assert.Equal("VCEK", claims.SigningKey);
        Assert.Equal("AMD ARK-Milan", claims.TrustAnchor.Name);
    }

    [Fact]
    public void AnSnpReportInTrusteesLayoutKeepsTheHostsCertificateTypes()
    {
        byte[] report = RealEvidence.Bytes("snp-report-v3-vlek-milan.bin");
        byte[] vlek = RealEvidence.Bytes("snp-vlek-milan.der");
        byte[] reportData = SnpReport.Parse(report).ReportData.ToArray();
        using var kernel = new FakeTsmKernel("sev_guest");
        kernel.Sign(reportData, report, SnpCertificateTable.Write([(SnpCertificateTable.Vlek, vlek)]));

        (string tee, System.Text.Json.Nodes.JsonObject json) = new TsmReportProvider(kernel.Root, kernel).GetReport(reportData).ToTrusteeEvidence();

        Assert.Equal("snp", tee);
        Assert.Equal("VLEK", (string?)json["cert_chain"]![0]!["cert_type"]);
        var parsed = EnclaveGen.Attestation.Kbs.TrusteeSnpEvidence.Parse(System.Text.Json.Nodes.JsonNode.Parse(json.ToJsonString()));
        Assert.Equal(report, parsed.Report);
        SnpClaims claims = new AttestationVerifier().Check<SnpClaims>(parsed.Report, s_june2025, new EvidenceInput { Certificates = parsed.Certificates });
        Assert.Equal(reportData, claims.ReportData.ToArray());
    }

    [Fact]
    public void ATdxQuoteInTrusteesLayoutHasNoEventLog()
    {
        byte[] quote = RealEvidence.Bytes("tdx-quote-v4-gcp.bin");
        byte[] reportData = TdxQuote.Parse(quote).ReportBody.ReportData.ToArray();
        using var kernel = new FakeTsmKernel("tdx_guest");
        kernel.Sign(reportData, quote);

        (string tee, System.Text.Json.Nodes.JsonObject json) = new TsmReportProvider(kernel.Root, kernel).GetReport(reportData).ToTrusteeEvidence();

        Assert.Equal("tdx", tee);
        Assert.Null(json["cc_eventlog"]);
        Assert.Equal(quote, Convert.FromBase64String((string)json["quote"]!));
    }

    [Theory]
    [InlineData("tdx-quote-v4-gcp.bin")]
    [InlineData("tdx-quote-v4-dcapqvl.bin")]
    public void RealTdxQuoteVerifies(string file)
    {
        byte[] quote = RealEvidence.Bytes(file);
        byte[] reportData = TdxQuote.Parse(quote).ReportBody.ReportData.ToArray();
        using var kernel = new FakeTsmKernel("tdx_guest");
        kernel.Sign(reportData, quote);

        TsmReport result = new TsmReportProvider(kernel.Root, kernel).GetReport(reportData);

        Assert.Equal("tdx", result.Family);
        Assert.Empty(result.AuxBlob);
        Assert.Empty(result.Certificates);
        TdxClaims claims = new AttestationVerifier().Check<TdxClaims>(result.Evidence, s_march2026, result.Input);
        Assert.Equal(reportData, claims.ReportData.ToArray());
        Assert.False(claims.IsEmulated);
        Assert.Empty(kernel.LeftEntries());
    }

    [Fact]
    public void AConcurrentWriterIsDetectedByGenerationAndTheRequestIsMadeAgainInAFreshEntry()
    {
        using FakeTsmKernel kernel = TdxKernel(out byte[] reportData);
        kernel.ForeignWrites = 1;

        TsmReport result = new TsmReportProvider(kernel.Root, kernel).GetReport(reportData);

        Assert.Equal(reportData, TdxQuote.Parse(result.Evidence).ReportBody.ReportData.ToArray());
        Assert.Equal(2, kernel.EntriesCreated);
        Assert.Empty(kernel.LeftEntries());
    }

    [Fact]
    public void AWriterThatRacesEveryAttemptFailsTheRequestClearly()
    {
        using FakeTsmKernel kernel = TdxKernel(out byte[] reportData);
        kernel.ForeignWrites = int.MaxValue;

        var e = Assert.Throws<TsmReportException>(() => new TsmReportProvider(kernel.Root, kernel).GetReport(reportData));

        Assert.Equal(TsmReportFailure.ConcurrentWriter, e.Reason);
        Assert.Contains("generation 0 before, 2 after, 1 expected", e.Message, StringComparison.Ordinal);
        Assert.Equal(TsmReportProvider.MaxAttempts, kernel.EntriesCreated);
        Assert.Empty(kernel.LeftEntries());
    }

    [Fact]
    public void AMissingInterfaceSaysItIsNotACvmOrAnOldKernel()
    {
        string missing = Path.Combine(Path.GetTempPath(), "egtsm-missing-" + Guid.NewGuid().ToString("N"), "tsm", "report");
        var provider = new TsmReportProvider(missing);

        var e = Assert.Throws<TsmReportException>(() => provider.GetReport([1, 2, 3]));

        Assert.False(provider.IsPresent);
        Assert.Equal(TsmReportFailure.Unavailable, e.Reason);
        Assert.StartsWith("no TSM report interface: not a CVM, or the kernel is older than 6.7", e.Message, StringComparison.Ordinal);
        Assert.Contains(missing, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnInterfaceWithoutAProviderIsUnavailableToo()
    {
        using var kernel = new FakeTsmKernel(provider: null);

        var e = Assert.Throws<TsmReportException>(() => new TsmReportProvider(kernel.Root, kernel).GetReport([1]));

        Assert.Equal(TsmReportFailure.Unavailable, e.Reason);
        Assert.Contains("ENXIO", e.Message, StringComparison.Ordinal);
        Assert.IsType<IOException>(e.InnerException);
    }

    [Theory]
    [InlineData("arm-cca-guest")]
    [InlineData("SEV_GUEST")]
    [InlineData("")]
    public void AProviderWhoseFormatIsUnknownIsRefusedByName(string name)
    {
        using var kernel = new FakeTsmKernel(name);

        var e = Assert.Throws<TsmReportException>(() => new TsmReportProvider(kernel.Root, kernel).GetReport([1]));

        Assert.Equal(TsmReportFailure.UnknownProvider, e.Reason);
        Assert.Contains($"'{name}'", e.Message, StringComparison.Ordinal);
        Assert.Empty(kernel.LeftEntries());
    }

    [Theory]
    [InlineData("sev_guest", 0)]
    [InlineData("sev_guest", 1000)]
    [InlineData("sev_guest", SnpReport.Size - 1)]
    [InlineData("sev_guest", SnpReport.Size + 1)]
    [InlineData("tdx_guest", 0)]
    [InlineData("tdx_guest", 600)]
    [InlineData("tdx_guest", 4000)]
    public void ATruncatedOrOversizedOutblobIsMalformedOutput(string provider, int length)
    {
        using FakeTsmKernel kernel = provider == "tdx_guest" ? TdxKernel(out byte[] reportData) : SnpKernel(out reportData);
        kernel.OutBlobTransform = blob => blob.Length >= length ? blob[..length] : [.. blob, .. new byte[length - blob.Length]];

        var e = Assert.Throws<TsmReportException>(() => new TsmReportProvider(kernel.Root, kernel).GetReport(reportData));

        Assert.Equal(TsmReportFailure.MalformedOutput, e.Reason);
        Assert.Contains(provider, e.Message, StringComparison.Ordinal);
        Assert.Empty(kernel.LeftEntries());
    }

    [Fact]
    public void EvidenceThatDoesNotBindTheWrittenReportDataIsRefused()
    {
        using FakeTsmKernel kernel = SnpKernel(out _);

        var e = Assert.Throws<TsmReportException>(() => new TsmReportProvider(kernel.Root, kernel).GetReport("a nonce the hardware never signed"u8));

        Assert.Equal(TsmReportFailure.ReportDataMismatch, e.Reason);
    }

    [Fact]
    public void ACertificateTableWithoutItsTerminatorIsMalformedOutput()
    {
        byte[] report = RealEvidence.Bytes("snp-report-v3-vlek-milan.bin");
        byte[] reportData = SnpReport.Parse(report).ReportData.ToArray();
        byte[] table = SnpCertificateTable.Write([(SnpCertificateTable.Vlek, RealEvidence.Bytes("snp-vlek-milan.der"))]);
        using var kernel = new FakeTsmKernel("sev_guest");
        kernel.Sign(reportData, report, table[..24]);

        var e = Assert.Throws<TsmReportException>(() => new TsmReportProvider(kernel.Root, kernel).GetReport(reportData));

        Assert.Equal(TsmReportFailure.MalformedOutput, e.Reason);
        Assert.Contains("certificate table", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void APrivilegeLevelBelowTheFloorIsRefusedWithTheFloor()
    {
        using FakeTsmKernel kernel = SnpKernel(out byte[] reportData);
        kernel.PrivilegeLevelFloor = 2;

        var e = Assert.Throws<TsmReportException>(() => new TsmReportProvider(kernel.Root, kernel).GetReport(reportData, privilegeLevel: 1));

        Assert.Equal(TsmReportFailure.KernelError, e.Reason);
        Assert.Contains("privlevel_floor (2)", e.Message, StringComparison.Ordinal);
        Assert.Empty(kernel.LeftEntries());
    }

    [Fact]
    public void APrivilegeLevelOnTdxWhichHasNoneIsRefused()
    {
        using FakeTsmKernel kernel = TdxKernel(out byte[] reportData);

        var e = Assert.Throws<TsmReportException>(() => new TsmReportProvider(kernel.Root, kernel).GetReport(reportData, privilegeLevel: 0));

        Assert.Contains("no privilege levels", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReportDataLongerThanTheKernelTakesIsAnArgumentError() =>
        Assert.Throws<ArgumentException>(() => new TsmReportProvider("/nonexistent").GetReport(new byte[65]));

    private static FakeTsmKernel SnpKernel(out byte[] reportData)
    {
        byte[] report = RealEvidence.Bytes("snp-report-v3-vlek-milan.bin");
        reportData = SnpReport.Parse(report).ReportData.ToArray();
        var kernel = new FakeTsmKernel("sev_guest");
        kernel.Sign(reportData, report, SnpCertificateTable.Write([(SnpCertificateTable.Vlek, RealEvidence.Bytes("snp-vlek-milan.der"))]));
        return kernel;
    }

    private static FakeTsmKernel TdxKernel(out byte[] reportData)
    {
        byte[] quote = RealEvidence.Bytes("tdx-quote-v4-gcp.bin");
        reportData = TdxQuote.Parse(quote).ReportBody.ReportData.ToArray();
        var kernel = new FakeTsmKernel("tdx_guest");
        kernel.Sign(reportData, quote);
        return kernel;
    }
}

/// <summary>The real evidence in tests/testdata/attestation, copied beside the test assembly.</summary>
internal static class RealEvidence
{
    public static byte[] Bytes(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "testdata", "attestation", name));
}
