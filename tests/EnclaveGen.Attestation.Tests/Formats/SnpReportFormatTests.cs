using EnclaveGen.Attestation.Formats;
using EnclaveGen.Attestation.Verification;

namespace EnclaveGen.Attestation.Tests.Formats;

public sealed class SnpReportFormatTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(0x2A0)]
    [InlineData(SnpReport.Size - 1)]
    [InlineData(SnpReport.Size + 1)]
    [InlineData(4096)]
    public void ReportOfTheWrongSizeIsRefused(int size)
    {
        byte[] bytes = new byte[size];
        TestData.SnpReport.AsSpan(0, Math.Min(size, SnpReport.Size)).CopyTo(bytes);

        var e = Assert.Throws<EvidenceFormatException>(() => SnpReport.Parse(bytes));

        Assert.Equal("length", e.Field);
    }

    [Theory]
    [InlineData(0x2A0 + 48, "SIGNATURE.R high bytes")]
    [InlineData(0x2E8 + 71, "SIGNATURE.S high bytes")]
    [InlineData(0x400, "SIGNATURE reserved")]
    [InlineData(0x1F8, "reserved (0x1F8)")]
    [InlineData(0x4C, "reserved (0x4C)")]
    [InlineData(0x190, "reserved (0x188)")]
    public void NonZeroReservedOrUnusedSignatureBytesAreRefused(int offset, string field)
    {
        byte[] report = TestData.SnpReport;
        report[offset] = 0x80;

        var e = Assert.Throws<EvidenceFormatException>(() => SnpReport.Parse(report));

        Assert.Equal(field, e.Field);
        Assert.Equal(offset, e.Offset);
    }

    [Fact]
    public void VersionThreeReportCarriesTheCpuidFields()
    {
        byte[] report = TestData.SnpReport;
        report[0] = 3;
        report[0x188] = 0x19;
        report[0x189] = 0x01;
        report[0x18A] = 0x01;

        SnpReport parsed = SnpReport.Parse(report);
        var e = Assert.Throws<EvidenceVerificationException>(() => new AttestationVerifier().Check<SnpClaims>(report, TestData.PinnedTime, TestData.Signers(TestData.VcekDer)));

        Assert.Equal(3u, parsed.Version);
        Assert.Equal(0x19, parsed.CpuidFamilyId);
        Assert.Equal(0x01, parsed.CpuidModelId);
        Assert.Equal("report.signature", e.Check);
    }

    [Fact]
    public void UnknownVersionIsRefused()
    {
        byte[] report = TestData.SnpReport;
        report[0] = 6;

        Assert.Equal("VERSION", Assert.Throws<EvidenceFormatException>(() => SnpReport.Parse(report)).Field);
    }

    [Fact]
    public void SignatureIsReadAsLittleEndianRAndS()
    {
        byte[] report = TestData.SnpReport;

        SnpReport parsed = SnpReport.Parse(report);

        Assert.Equal(report[0x2A0], parsed.Signature.Span[47]);
        Assert.Equal(report[0x2A0 + 47], parsed.Signature.Span[0]);
        Assert.Equal(report[0x2E8], parsed.Signature.Span[95]);
    }
}
