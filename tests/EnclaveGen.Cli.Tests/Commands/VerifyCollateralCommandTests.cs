using System.Text.Json;
using EnclaveGen.Cli.Commands;

namespace EnclaveGen.Cli.Tests.Commands;

/// <summary>
/// <c>enclavegen verify</c> with Intel's collateral: the real SGX and TDX quotes with the collateral
/// published for them, the TCB status policy options, and the two ways of giving collateral.
/// </summary>
public sealed class VerifyCollateralCommandTests : VerifyCommandTestBase
{
    /// <summary>Inside the dcap-qvl collateral's window (2025-06-19 to 2025-07-19).</summary>
    private const string July2025 = "2025-07-01T00:00:00Z";

    private static string SgxQuote => Sample("sgx-quote-v3-dcapqvl.bin");

    private static string SgxCollateral => Sample("sgx-quote-v3-dcapqvl.collateral.json");

    [Fact]
    public void RealSgxQuoteWithItsCollateralIsRefusedForItsTcbStatusAndTheJsonSaysWhy()
    {
        (int exit, string output, _) = Run(SgxQuote, "--collateral", SgxCollateral, "--at", July2025, "--json");
        JsonElement json = Json(output);

        Assert.Equal(VerifyCommand.Invalid, exit);
        Assert.False(json.GetProperty("valid").GetBoolean());
        Assert.Equal("policy.tcbStatus", json.GetProperty("failedCheck").GetString());
        Assert.Equal("ConfigurationAndSWHardeningNeeded", json.GetProperty("tcbStatus").GetString());
        Assert.Equal(["INTEL-SA-00289", "INTEL-SA-00615"], json.GetProperty("advisoryIds").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal("2024-03-13T00:00:00Z", json.GetProperty("tcbDate").GetString());
        Assert.Equal("2025-07-19T10:01:18Z", json.GetProperty("collateralExpiresAt").GetString());
        Assert.Equal(17, json.GetProperty("tcbEvaluationDataNumber").GetInt32());
    }

    [Fact]
    public void AllowTcbAndAllowOutdatedTcbAcceptTheStatus()
    {
        (int allowed, string text, _) = Run(SgxQuote, "--collateral", SgxCollateral, "--at", July2025, "--allow-tcb", "SWHardeningNeeded", "--allow-tcb", "ConfigurationAndSWHardeningNeeded");
        (int outdated, _, _) = Run(SgxQuote, "--collateral", SgxCollateral, "--at", July2025, "--allow-outdated-tcb");
        (int other, string refused, _) = Run(SgxQuote, "--collateral", SgxCollateral, "--at", July2025, "--allow-tcb", "SWHardeningNeeded");

        Assert.Equal(VerifyCommand.Valid, allowed);
        Assert.Contains("TCB status: ConfigurationAndSWHardeningNeeded (advisories INTEL-SA-00289, INTEL-SA-00615); collateral current until 2025-07-19T10:01:18Z", text, StringComparison.Ordinal);
        Assert.DoesNotContain("NOT EVALUATED", text, StringComparison.Ordinal);
        Assert.EndsWith("VALID" + Environment.NewLine, text, StringComparison.Ordinal);
        Assert.Equal(VerifyCommand.Valid, outdated);
        Assert.Equal(VerifyCommand.Invalid, other);
        Assert.Contains("Failed check: policy.tcbStatus", refused, StringComparison.Ordinal);
        Assert.Contains("--allow-tcb", refused, StringComparison.Ordinal);
    }

    [Fact]
    public void WithoutCollateralTheTcbStatusIsNullAndTheTextSaysItWasNotEvaluated()
    {
        (int exit, string text, _) = Run(SgxQuote, "--at", July2025);
        (_, string output, _) = Run(SgxQuote, "--at", July2025, "--json");
        JsonElement json = Json(output);

        Assert.Equal(VerifyCommand.Valid, exit);
        Assert.Contains("!!! TCB NOT EVALUATED", text, StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, json.GetProperty("tcbStatus").ValueKind);
        Assert.Equal(JsonValueKind.Null, json.GetProperty("advisoryIds").ValueKind);
        Assert.Equal(JsonValueKind.Null, json.GetProperty("collateralExpiresAt").ValueKind);
    }

    [Fact]
    public void RealTdxQuotesWithTheirCollateralAreUpToDate()
    {
        (int exit, string output, _) = Run(Sample("tdx-quote-v4-dcapqvl.bin"), "--collateral", Sample("tdx-quote-v4-dcapqvl.collateral.json"), "--at", July2025, "--json");
        (int nearExit, string near, _) = Run(Sample("tdx-quote-v4-near.hex"), "--collateral", Sample("tdx-quote-v4-near.collateral.json"), "--at", "2025-09-15T00:00:00Z", "--json");

        Assert.Equal(VerifyCommand.Valid, exit);
        Assert.Equal("tdx-quote", Json(output).GetProperty("format").GetString());
        Assert.Equal("UpToDate", Json(output).GetProperty("tcbStatus").GetString());
        Assert.Equal(0, Json(output).GetProperty("advisoryIds").GetArrayLength());
        Assert.Equal("2025-07-19T10:00:35Z", Json(output).GetProperty("collateralExpiresAt").GetString());
        Assert.Equal(70, Json(output).GetProperty("trailingBytes").GetInt32());
        Assert.Equal(VerifyCommand.Valid, nearExit);
        Assert.Equal("UpToDate", Json(near).GetProperty("tcbStatus").GetString());
        Assert.Equal("2025-10-02T07:03:51Z", Json(near).GetProperty("collateralExpiresAt").GetString());
    }

    [Fact]
    public void TheFilesIntelsPcsServesGiveTheSameStatusAsTheNineFieldJson()
    {
        JsonElement nine = Json(File.ReadAllText(SgxCollateral));
        string Field(string name) => nine.GetProperty(name).GetString()!;
        string tcbInfo = Write("tcbinfo.json", $"{{\"tcbInfo\":{Field("tcb_info")},\"signature\":\"{Field("tcb_info_signature")}\"}}");
        string qeIdentity = Write("qe.json", $"{{\"enclaveIdentity\":{Field("qe_identity")},\"signature\":\"{Field("qe_identity_signature")}\"}}");
        string signingChain = Write("tcb-chain.pem", Field("tcb_info_issuer_chain"));
        string rootCrl = Write("root.crl", Convert.FromHexString(Field("root_ca_crl")));
        string pckCrl = Write("pck.crl.hex", Field("pck_crl"));

        (int exit, string output, _) = Run(SgxQuote, "--tcb-info", tcbInfo, "--qe-identity", qeIdentity, "--tcb-signing-chain", signingChain, "--crl", rootCrl, "--crl", pckCrl, "--at", July2025, "--allow-outdated-tcb", "--json");
        (int withoutCrls, string incomplete, string error) = Run(SgxQuote, "--tcb-info", tcbInfo, "--qe-identity", qeIdentity, "--tcb-signing-chain", signingChain, "--at", July2025, "--json");

        Assert.Equal(VerifyCommand.Valid, exit);
        Assert.Equal("ConfigurationAndSWHardeningNeeded", Json(output).GetProperty("tcbStatus").GetString());
        Assert.Equal("2025-07-19T10:01:18Z", Json(output).GetProperty("collateralExpiresAt").GetString());
        Assert.Equal(VerifyCommand.UnusableArguments, withoutCrls);
        Assert.Equal(string.Empty, error);
        Assert.Equal("EG5030", Json(incomplete).GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public void CollateralPastItsNextUpdateIsInvalid()
    {
        (int exit, string output, _) = Run(SgxQuote, "--collateral", SgxCollateral, "--at", "2025-08-01T00:00:00Z", "--allow-outdated-tcb", "--json");

        Assert.Equal(VerifyCommand.Invalid, exit);
        Assert.EndsWith(".validity", Json(output).GetProperty("failedCheck").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void CollateralOfAnotherPlatformIsInvalidAndCollateralWithoutTheChainsCrlIsUnusable()
    {
        (int exit, string output, _) = Run(Sample("tdx-quote-v4-dcapqvl.bin"), "--collateral", Sample("tdx-quote-v4-near.collateral.json"), "--at", "2025-09-15T00:00:00Z", "--allow-outdated-tcb", "--json");
        (int incompleteExit, _, string error) = Run(SgxQuote, "--collateral", Sample("tdx-quote-v4-dcapqvl.collateral.json"), "--at", July2025);

        Assert.Equal(VerifyCommand.Invalid, exit);
        Assert.StartsWith("collateral.tcbInfo", Json(output).GetProperty("failedCheck").GetString(), StringComparison.Ordinal);
        Assert.Contains("FMSPC", Json(output).GetProperty("error").GetString(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(VerifyCommand.UnusableArguments, incompleteExit);
        Assert.Contains("no CRL of 'CN=Intel SGX PCK Processor CA", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "--allow-tcb", "Revoked" }, "never accepted")]
    [InlineData(new[] { "--allow-tcb", "uptodate" }, "is not a TCB status")]
    [InlineData(new[] { "--collateral", "NOT_JSON" }, "is not quote collateral JSON")]
    [InlineData(new[] { "--collateral", "COLLATERAL", "--tcb-info", "COLLATERAL" }, "either --collateral or --tcb-info")]
    [InlineData(new[] { "--tcb-info", "COLLATERAL" }, "--tcb-info needs --qe-identity")]
    [InlineData(new[] { "--tcb-info", "COLLATERAL", "--qe-identity", "COLLATERAL" }, "need --tcb-signing-chain")]
    [InlineData(new[] { "--crl", "NOT_JSON" }, "is not a CRL")]
    public void UnusableCollateralOptionsExitTwoWithTheErrorObjectInJson(string[] options, string message)
    {
        string notJson = Write("not.json", "{\"tcb_info\":");
        string[] args = [SgxQuote, .. options.Select(o => o switch { "NOT_JSON" => notJson, "COLLATERAL" => SgxCollateral, _ => o }), "--at", July2025];

        (int exit, string output, string error) = Run(args);
        (int jsonExit, string json, string jsonError) = Run([.. args, "--json"]);
        JsonElement errorObject = Json(json).GetProperty("error");

        Assert.Equal(VerifyCommand.UnusableArguments, exit);
        Assert.Equal(string.Empty, output);
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.Equal(VerifyCommand.UnusableArguments, jsonExit);
        Assert.Equal(string.Empty, jsonError);
        Assert.Equal(["error"], Json(json).EnumerateObject().Select(p => p.Name));
        Assert.Equal("EG5030", errorObject.GetProperty("code").GetString());
        Assert.Contains(message, errorObject.GetProperty("message").GetString(), StringComparison.Ordinal);
    }
}
