using System.Text;
using System.Text.Json;
using EnclaveGen.Attestation.Emulation;
using EnclaveGen.Attestation.Formats;
using EnclaveGen.Cli.Commands;

namespace EnclaveGen.Cli.Tests.Commands;

/// <summary>Runs <c>enclavegen verify</c> in-process against the real samples and emulated quotes.</summary>
public sealed class VerifyCommandTests : VerifyCommandTestBase
{
    private const string Pinned = "2025-06-01T00:00:00Z";
    private static readonly DateTimeOffset s_emulatedNotBefore = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void RealSgxQuoteWithAllowDebugIsValidAndPrintsDebugLoudly()
    {
        (int exit, string output, _) = Run(Sample("sgx-quote-v3-debug.bin"), "--allow-debug", "--at", Pinned);

        Assert.Equal(VerifyCommand.Valid, exit);
        Assert.Contains("!!! DEBUG", output, StringComparison.Ordinal);
        Assert.Contains("292a1f4b519e46627eb2478a3d9851405653c5b4b0a6925de843834d9216850e", output, StringComparison.Ordinal);
        Assert.DoesNotContain("EMULATED", output, StringComparison.Ordinal);
        Assert.EndsWith("VALID" + Environment.NewLine, output, StringComparison.Ordinal);
    }

    [Fact]
    public void RealSgxQuoteJsonHasTheIssuesKeysInLowercaseHex()
    {
        (int exit, string output, _) = Run(Sample("sgx-quote-v3-debug.bin"), "--allow-debug", "--at", Pinned, "--json");
        JsonElement json = Json(output);

        Assert.Equal(0, exit);
        Assert.Equal("sgx-quote", json.GetProperty("format").GetString());
        Assert.True(json.GetProperty("valid").GetBoolean());
        Assert.Equal("292a1f4b519e46627eb2478a3d9851405653c5b4b0a6925de843834d9216850e", json.GetProperty("uniqueId").GetString());
        Assert.Equal("4aea5f9a0ed04b11f889aadfe6a1d376213a29a95a85ce7337ae6f7fece6610c", json.GetProperty("signerId").GetString());
        Assert.Equal(1, json.GetProperty("productId").GetInt32());
        Assert.Equal(1, json.GetProperty("securityVersion").GetInt32());
        Assert.True(json.GetProperty("debug").GetBoolean());
        Assert.Equal("28542e44fe7e73f6610f6b31ae7576925f09ccdbb4c5646583ecc1561337a8ff" + new string('0', 64), json.GetProperty("reportData").GetString());
        Assert.False(json.GetProperty("isEmulated").GetBoolean());
    }

    [Fact]
    public void RealSnpReportJsonHasTheIssuesKeys()
    {
        (int exit, string output, _) = Run(Sample("snp-report-v2-debug.bin"), "--vcek", Sample("snp-vcek-milan.der"), "--chain", Sample("snp-ask-ark-milan.pem"), "--allow-debug", "--at", Pinned, "--json");
        JsonElement json = Json(output);

        Assert.Equal(0, exit);
        Assert.Equal("snp-report", json.GetProperty("format").GetString());
        Assert.Equal("b07af9620f3b839b47996422ddec6058338951d984e312115131ea82705eaf5b6bdf8a9ece31a5a608eb0cf2e4872b01", json.GetProperty("measurement").GetString());
        Assert.Equal("0102030405" + new string('0', 118), json.GetProperty("reportData").GetString());
        Assert.StartsWith("3ac3fe21e13fb099", json.GetProperty("chipId").GetString(), StringComparison.Ordinal);
        Assert.True(json.GetProperty("debug").GetBoolean());
        Assert.Equal(0, json.GetProperty("vmpl").GetInt32());
        Assert.Equal(0, json.GetProperty("guestSvn").GetInt32());
        Assert.False(json.GetProperty("isEmulated").GetBoolean());
    }

    [Fact]
    public void SnpReportWithTheArkAsRootAndTheAskAsChainIsValid()
    {
        IReadOnlyList<byte[]> askArk = EnclaveGen.Attestation.Verification.TrustAnchor.ReadCertificates(File.ReadAllBytes(Sample("snp-ask-ark-milan.pem")));
        string ask = Write("ask.der", askArk[0]);
        string ark = Write("ark.der", askArk[1]);

        (int exit, _, _) = Run(Sample("snp-report-v2-debug.bin"), "--vcek", Sample("snp-vcek-milan.der"), "--chain", ask, "--root", ark, "--allow-debug", "--at", Pinned);

        Assert.Equal(0, exit);
    }

    [Fact]
    public void DebugQuoteWithoutAllowDebugIsInvalidNamingThePolicyCheck()
    {
        (int exit, string output, _) = Run(Sample("sgx-quote-v3-debug.bin"), "--at", Pinned);

        Assert.Equal(VerifyCommand.Invalid, exit);
        Assert.Contains("Failed check: policy.debug", output, StringComparison.Ordinal);
        Assert.Contains("--allow-debug", output, StringComparison.Ordinal);
    }

    [Fact]
    public void TamperedQuoteIsInvalidNamingTheFailedCheck()
    {
        byte[] quote = File.ReadAllBytes(Sample("sgx-quote-v3-debug.bin"));
        quote[48 + 64] ^= 1; // MRENCLAVE
        string path = Write("tampered.bin", quote);

        (int exit, string output, _) = Run(path, "--allow-debug", "--at", Pinned, "--json");

        Assert.Equal(1, exit);
        Assert.False(Json(output).GetProperty("valid").GetBoolean());
        Assert.Equal("quote.signature", Json(output).GetProperty("failedCheck").GetString());
    }

    [Fact]
    public void QuoteAfterItsCertificatesExpireIsInvalid()
    {
        (int exit, string output, _) = Run(Sample("sgx-quote-v3-debug.bin"), "--allow-debug", "--at", "2029-01-01T00:00:00Z");

        Assert.Equal(1, exit);
        Assert.Contains("Failed check: chain.validity", output, StringComparison.Ordinal);
    }

    [Fact]
    public void HexAndBase64InputsVerifyLikeRaw()
    {
        byte[] quote = File.ReadAllBytes(Sample("sgx-quote-v3-debug.bin"));
        string hex = Write("quote.hex", Encoding.ASCII.GetBytes(Convert.ToHexStringLower(quote) + "\n"));
        string b64 = Write("quote.b64", Encoding.ASCII.GetBytes(Convert.ToBase64String(quote, Base64FormattingOptions.InsertLineBreaks)));
        string b64url = Write("quote.b64url", Encoding.ASCII.GetBytes(Convert.ToBase64String(quote).TrimEnd('=').Replace('+', '-').Replace('/', '_')));

        foreach (string path in new[] { hex, b64, b64url })
        {
            (int exit, string output, _) = Run(path, "--allow-debug", "--at", Pinned, "--json");
            Assert.Equal(0, exit);
            Assert.Equal("292a1f4b519e46627eb2478a3d9851405653c5b4b0a6925de843834d9216850e", Json(output).GetProperty("uniqueId").GetString());
        }
    }

    [Fact]
    public void EmulatedQuoteUnderItsRootIsValidOnlyWithAllowEmulatedAndSaysSoLoudly()
    {
        using EmulatedAttestationAuthority authority = EmulatedAttestationAuthority.Create(new EmulatedAuthorityOptions { NotBefore = s_emulatedNotBefore });
        byte[] quote = authority.CreateQuote(new SgxReportBody { MrEnclave = new byte[32], IsvProdId = 2 });
        string quotePath = Write("emulated.bin", quote);
        string root = Write("root.pem", Encoding.ASCII.GetBytes(System.Security.Cryptography.PemEncoding.WriteString("CERTIFICATE", authority.RootCertificateDer.Span) + "\n"));

        (int refusedExit, string refused, _) = Run(quotePath, "--root", root, "--at", Pinned);
        (int acceptedExit, string accepted, _) = Run(quotePath, "--root", root, "--at", Pinned, "--allow-emulated");
        (_, string json, _) = Run(quotePath, "--root", root, "--at", Pinned, "--allow-emulated", "--json");

        Assert.Equal(1, refusedExit);
        Assert.Contains("Failed check: policy.emulated", refused, StringComparison.Ordinal);
        Assert.Equal(0, acceptedExit);
        Assert.Contains("!!! EMULATED", accepted, StringComparison.Ordinal);
        Assert.True(Json(json).GetProperty("isEmulated").GetBoolean());
        Assert.Equal(2, Json(json).GetProperty("productId").GetInt32());
    }

    [Fact]
    public void EmulatedTdxQuoteIsDetectedAndVerifiedWithTheIssuesKeys()
    {
        using EmulatedAttestationAuthority authority = EmulatedAttestationAuthority.Create(new EmulatedAuthorityOptions { NotBefore = s_emulatedNotBefore });
        byte[] quote = authority.CreateTdxQuote(new TdxReportBody { MrTd = Enumerable.Repeat((byte)0xAA, 48).ToArray(), TdAttributes = TdxReportBody.TdAttributesDebug });
        string quotePath = Write("tdx.b64", Encoding.ASCII.GetBytes(Convert.ToBase64String(quote)));
        string root = Write("root.der", authority.RootCertificateDer.ToArray());

        (int exit, string output, _) = Run(quotePath, "--root", root, "--at", Pinned, "--allow-emulated", "--allow-debug", "--json");
        (int refusedExit, string text, _) = Run(quotePath, "--root", root, "--at", Pinned, "--allow-emulated");
        JsonElement json = Json(output);

        Assert.Equal(0, exit);
        Assert.Equal("tdx-quote", json.GetProperty("format").GetString());
        Assert.Equal(new string('a', 96), json.GetProperty("uniqueId").GetString());
        Assert.True(json.GetProperty("debug").GetBoolean());
        Assert.True(json.GetProperty("isEmulated").GetBoolean());
        Assert.Equal(1, refusedExit);
        Assert.Contains("!!! DEBUG", text, StringComparison.Ordinal);
        Assert.Contains("Failed check: policy.debug", text, StringComparison.Ordinal);
    }

    [Fact]
    public void EmulatedQuoteWithoutItsRootIsInvalidChainAnchor()
    {
        using EmulatedAttestationAuthority authority = EmulatedAttestationAuthority.Create(new EmulatedAuthorityOptions { NotBefore = s_emulatedNotBefore });
        string quotePath = Write("emulated.bin", authority.CreateQuote(new SgxReportBody()));

        (int exit, string output, _) = Run(quotePath, "--allow-emulated", "--at", Pinned);

        Assert.Equal(1, exit);
        Assert.Contains("Failed check: chain.anchor", output, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownContentIsInvalidFormat()
    {
        string path = Write("junk.bin", [0xDE, 0xAD, 0xBE, 0xEF, 0, 1, 2]);

        (int exit, string output, _) = Run(path, "--at", Pinned, "--json");

        Assert.Equal(1, exit);
        Assert.Equal("format", Json(output).GetProperty("failedCheck").GetString());
    }

    [Fact]
    public void TruncatedQuoteIsInvalidNamingTheField()
    {
        byte[] quote = File.ReadAllBytes(Sample("sgx-quote-v3-debug.bin"));
        string path = Write("short.bin", quote[..1000]);

        (int exit, string output, _) = Run(path, "--allow-debug", "--at", Pinned);

        Assert.Equal(1, exit);
        Assert.Contains("signature_data_length", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new string[0], "name the evidence file")]
    [InlineData(new[] { "/nonexistent/quote.bin" }, "does not exist")]
    [InlineData(new[] { "SAMPLE", "--at", "yesterday-ish" }, "is not a time")]
    [InlineData(new[] { "SAMPLE", "--root" }, "--root")]
    [InlineData(new[] { "SAMPLE", "--root", "/nonexistent/root.der" }, "does not exist")]
    [InlineData(new[] { "SAMPLE", "--vcek", "VCEK", "--at", "2025-06-01T00:00:00Z" }, "carries its own certificate chain")]
    [InlineData(new[] { "SAMPLE", "--frobnicate" }, "unknown argument")]
    [InlineData(new[] { "SAMPLE", "SAMPLE" }, "name one evidence file")]
    public void UnusableArgumentsExitTwo(string[] args, string message)
    {
        string sample = Sample("sgx-quote-v3-debug.bin");

        (int exit, string output, string error) = Run(args.Select(a => a == "SAMPLE" ? sample : a == "VCEK" ? Sample("snp-vcek-milan.der") : a).ToArray());

        Assert.Equal(VerifyCommand.UnusableArguments, exit);
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.Equal(string.Empty, output);
    }

    [Fact]
    public void SnpReportWithoutAVcekExitsTwo()
    {
        (int exit, _, string error) = Run(Sample("snp-report-v2-debug.bin"), "--allow-debug", "--at", Pinned);

        Assert.Equal(2, exit);
        Assert.Contains("--vcek", error, StringComparison.Ordinal);
        Assert.Contains("VCEK", error, StringComparison.Ordinal);
    }

    [Fact]
    public void RootThatIsNotACertificateExitsTwo()
    {
        string notACertificate = Write("root.der", [1, 2, 3]);

        (int exit, _, string error) = Run(Sample("sgx-quote-v3-debug.bin"), "--root", notACertificate, "--at", Pinned);

        Assert.Equal(2, exit);
        Assert.Contains("is not a certificate", error, StringComparison.Ordinal);
    }

    [Fact]
    public void RootIsAddedBesideThePinnedAnchorsAndTheOutputNamesTheOneUsed()
    {
        IReadOnlyList<byte[]> askArk = EnclaveGen.Attestation.Verification.TrustAnchor.ReadCertificates(File.ReadAllBytes(Sample("snp-ask-ark-milan.pem")));
        string ark = Write("ark.der", askArk[1]);

        (int exit, string output, _) = Run(Sample("sgx-quote-v3-debug.bin"), "--root", ark, "--allow-debug", "--at", Pinned, "--json");

        Assert.Equal(0, exit);
        Assert.Equal("Intel SGX Root CA", Json(output).GetProperty("trustAnchor").GetString());
    }
}
