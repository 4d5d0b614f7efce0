using System.Text;
using System.Text.Json;
using EnclaveGen.Cli.Commands;

namespace EnclaveGen.Cli.Tests.Commands;

/// <summary>
/// <c>enclavegen verify</c> with evidence and certificate files as they come in practice: 0x hex,
/// padded quotes, CRLF and unterminated PEM, VLEK-signed and Genoa and Turin reports; and inputs that
/// cannot be used (a directory, PEM where evidence is expected).
/// </summary>
public sealed class VerifyInputCommandTests : VerifyCommandTestBase
{
    /// <summary>When the Milan, Genoa and Turin VCEKs are valid (from 2026-02-05).</summary>
    private const string March2026 = "2026-03-01T00:00:00Z";

    [Fact]
    public void ZeroXHexWithoutAFinalNewlineIsReadAndThePaddingReported()
    {
        (int exit, string output, _) = Run(Sample("tdx-quote-v4-0x.hex"), "--at", "2025-07-01T00:00:00Z", "--json");
        (_, string text, _) = Run(Sample("tdx-quote-v4-0x.hex"), "--at", "2025-07-01T00:00:00Z");
        JsonElement json = Json(output);

        Assert.Equal(VerifyCommand.Valid, exit);
        Assert.Equal("7ba9e262ce6979087e34632603f354dd8f8a870f5947d116af8114db6c9d0d74c48bec4280e5b4f4a37025a10905bb29", json.GetProperty("mrTd").GetString());
        Assert.Equal(70, json.GetProperty("trailingBytes").GetInt32());
        Assert.Contains("hex, 5006 bytes", text, StringComparison.Ordinal);
    }

    [Fact]
    public void QuoteInGoogleCloudsEightThousandByteBufferIsValidAsRawAndAsBase64()
    {
        byte[] quote = File.ReadAllBytes(Sample("tdx-quote-v4-gcp.bin"));
        (int rawExit, string raw, _) = Run(Sample("tdx-quote-v4-gcp.bin"), "--at", "2025-07-01T00:00:00Z", "--json");
        (int base64Exit, string base64, _) = Run(Write("gcp.b64", Encoding.ASCII.GetBytes(Convert.ToBase64String(quote))), "--at", "2025-07-01T00:00:00Z", "--json");

        Assert.Equal(8000, quote.Length);
        foreach ((int exit, string output) in new[] { (rawExit, raw), (base64Exit, base64) })
        {
            JsonElement json = Json(output);
            Assert.Equal(VerifyCommand.Valid, exit);
            Assert.Equal(3065, json.GetProperty("trailingBytes").GetInt32());
            Assert.Equal("409c0cd3e63d9ea54d817cf851983a220131262664ac8cd02cc6a2e19fd291d2fdd0cc035d7789b982a43a92a4424c99", json.GetProperty("mrTd").GetString());
        }
    }

    [Fact]
    public void PaddingThatIsNotZeroIsCountedAndNeverRead()
    {
        byte[] quote = File.ReadAllBytes(Sample("tdx-quote-v4-azure.bin"));
        quote[^1] = 1;

        (int exit, string output, _) = Run(Write("padded.bin", quote), "--at", "2025-07-01T00:00:00Z", "--json");

        Assert.Equal(VerifyCommand.Valid, exit);
        Assert.Equal(70, Json(output).GetProperty("trailingBytes").GetInt32());
    }

    [Theory]
    [InlineData("\r\n", true)]
    [InlineData("\r\n", false)]
    [InlineData("\n", false)]
    public void CertificateFilesWithCrlfOrWithoutAFinalNewlineAreRead(string newline, bool finalNewline)
    {
        string Rewrite(string name)
        {
            string text = File.ReadAllText(Sample(name)).Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n').Replace("\n", newline, StringComparison.Ordinal);
            return Write(name, text + (finalNewline ? newline : string.Empty));
        }

        (int exit, string output, _) = Run(Sample("snp-report-v3-genoa.bin"), "--vcek", Rewrite("snp-vcek-genoa.pem"), "--chain", Rewrite("amd-genoa-ask-ark-asvk.pem"), "--at", March2026, "--json");

        Assert.Equal(VerifyCommand.Valid, exit);
        Assert.Equal("AMD ARK-Genoa", Json(output).GetProperty("trustAnchor").GetString());
    }

    [Fact]
    public void GenoaAndTurinReportsChainToTheirOwnBuiltInArks()
    {
        (int genoa, string genoaJson, _) = Run(Sample("snp-report-v3-genoa.bin"), "--vcek", Sample("snp-vcek-genoa.pem"), "--at", March2026, "--json");
        (int turin, string turinJson, _) = Run(Sample("snp-report-v5-turin.bin"), "--vcek", Sample("snp-vcek-turin.pem"), "--at", March2026, "--json");
        (int milan, string milanText, _) = Run(Sample("snp-report-v3-milan.bin"), "--vcek", Sample("snp-vcek-milan-b0.pem"), "--at", March2026);

        Assert.Equal(VerifyCommand.Valid, genoa);
        Assert.Equal("Genoa", Json(genoaJson).GetProperty("product").GetString());
        Assert.Equal(VerifyCommand.Valid, turin);
        Assert.Equal("AMD ARK-Turin", Json(turinJson).GetProperty("trustAnchor").GetString());
        Assert.Equal("0x000000000000003f", Json(turinJson).GetProperty("currentMitVector").GetString());
        Assert.Equal("59790fb1c39f35c1" + new string('0', 112), Json(turinJson).GetProperty("chipId").GetString());
        Assert.Equal(VerifyCommand.Valid, milan);
        Assert.Contains("trust anchor: AMD ARK-Milan", milanText, StringComparison.Ordinal);
        Assert.Contains("!!! TCB NOT EVALUATED", milanText, StringComparison.Ordinal);
    }

    [Fact]
    public void VlekSignedReportVerifiesThroughTheAsvk()
    {
        (int exit, string output, _) = Run(Sample("snp-report-v3-vlek-milan.bin"), "--vlek", Sample("snp-vlek-milan.der"), "--at", "2025-06-01T00:00:00Z", "--json");
        JsonElement json = Json(output);

        Assert.Equal(VerifyCommand.Valid, exit);
        Assert.Equal("VLEK", json.GetProperty("signingKey").GetString());
        Assert.Equal("CN=cc-us-east-2.amazonaws.com", json.GetProperty("cspId").GetString());
        Assert.Equal("AMD ARK-Milan", json.GetProperty("trustAnchor").GetString());
    }

    [Fact]
    public void SnpReportWithTheVcekOfAnotherProductIsInvalid()
    {
        (int exit, string output, _) = Run(Sample("snp-report-v3-genoa.bin"), "--vcek", Sample("snp-vcek-milan-b0.pem"), "--at", March2026, "--json");

        Assert.Equal(VerifyCommand.Invalid, exit);
        Assert.Equal("report.product", Json(output).GetProperty("failedCheck").GetString());
    }

    [Fact]
    public void RootAddsAnAnchorAndThePinnedOnesStillAnswer()
    {
        string intelRoot = Sample("intel-sgx-root-ca.der");

        (int exit, string output, _) = Run(Sample("snp-report-v5-turin.bin"), "--vcek", Sample("snp-vcek-turin.pem"), "--root", intelRoot, "--at", March2026, "--json");

        Assert.Equal(VerifyCommand.Valid, exit);
        Assert.Equal("AMD ARK-Turin", Json(output).GetProperty("trustAnchor").GetString());
    }

    [Theory]
    [InlineData("evidence")]
    [InlineData("--root")]
    [InlineData("--vcek")]
    [InlineData("--collateral")]
    [InlineData("--crl")]
    public void DirectoryIsNamedAsADirectory(string where)
    {
        string dir = Directory.CreateDirectory(Path.Combine(TempDirectory, "a-directory")).FullName;
        string[] args = where == "evidence"
            ? [dir, "--at", March2026]
            : [Sample(where == "--vcek" ? "snp-report-v3-genoa.bin" : "sgx-quote-v3-dcapqvl.bin"), where, dir, "--at", March2026];

        (int exit, string output, string error) = Run(args);

        Assert.Equal(VerifyCommand.UnusableArguments, exit);
        Assert.Equal(string.Empty, output);
        Assert.Contains("is a directory", error, StringComparison.Ordinal);
    }

    [Fact]
    public void PemGivenAsEvidenceSaysWhatItIs()
    {
        (int exit, string output, _) = Run(Sample("snp-vcek-genoa.pem"), "--at", March2026, "--json");

        Assert.Equal(VerifyCommand.UnusableArguments, exit);
        Assert.Contains("PEM 'CERTIFICATE' block, not evidence", Json(output).GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void PemGivenWhereACrlIsExpectedSaysItIsNotACrl()
    {
        (int exit, _, string error) = Run(Sample("sgx-quote-v3-dcapqvl.bin"), "--crl", Sample("snp-vcek-genoa.pem"), "--at", March2026);

        Assert.Equal(VerifyCommand.UnusableArguments, exit);
        Assert.Contains("is not a CRL", error, StringComparison.Ordinal);
    }

    [Fact]
    public void EvidenceTextThatDoesNotDecodeExitsTwo()
    {
        (int exit, _, string error) = Run(Write("bad.hex", Encoding.ASCII.GetBytes("0x12345")), "--at", March2026);

        Assert.Equal(VerifyCommand.UnusableArguments, exit);
        Assert.Contains("cannot be read", error, StringComparison.Ordinal);
    }
}
