using System.Security.Cryptography;
using System.Text.Json.Nodes;
using EnclaveGen.Attestation.Formats;
using EnclaveGen.Attestation.Kbs;
using EnclaveGen.Attestation.Verification;

namespace EnclaveGen.Attestation.Tests.Kbs;

/// <summary>
/// Trustee's evidence layouts: its own SNP evidence file (made by the Rust <c>sev</c> crate on a Genoa
/// host, tests/testdata/attestation/README.md) reads to the report bytes established independently,
/// which verify under AMD's Genoa ARK; real reports of each generation go through our serializer and
/// back unchanged; malformed members are refused by name.
/// </summary>
public sealed class TrusteeEvidenceTests
{
    private static readonly DateTimeOffset March2026 = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    internal static JsonObject RealSnpEvidence() => (JsonObject)JsonNode.Parse(TestData.Bytes("trustee-snp-evidence-genoa.json"))!;

    [Fact]
    public void TrusteesRealSnpEvidenceReadsToTheReportItsVcekSigned()
    {
        TrusteeSnpEvidence evidence = TrusteeSnpEvidence.Parse(RealSnpEvidence());

        // The sha-256 of the encoded report and the fields below were computed with Python from the JSON (README).
        Assert.Equal("18e907bf99a957d8ccf30f2081da17f673da648a7a0b9d551a866e875234c21a", Convert.ToHexStringLower(SHA256.HashData(evidence.Report)));
        (Guid type, byte[] vcek) = Assert.Single(evidence.CertificateChain!);
        Assert.Equal(SnpCertificateTable.Vcek, type);
        Assert.Equal(1347, vcek.Length);

        SnpClaims claims = new AttestationVerifier().Check<SnpClaims>(evidence.Report, March2026, new EvidenceInput { Certificates = evidence.Certificates });

        Assert.Equal("AMD ARK-Genoa", claims.TrustAnchor.Name);
        Assert.Equal("VCEK", claims.SigningKey);
        Assert.Equal("6a6519d757e68c2e939c9dbbbc1828498e8de35d2766dd05f1a2cca5059d0cf4ae62a36d75c837974dd50b315506e73e", Convert.ToHexStringLower(claims.Measurement.Span));
        Assert.Equal("7e7320889600c7ac133aea7b896c51f41026002982292a7369559796999c1bf929eef3ff23c46e858f0b1982f9a92b17c51b578d958cde6b0c92978f150cf9b0", Convert.ToHexStringLower(claims.ReportData.Span));
        Assert.Equal(0u, claims.Vmpl);
    }

    [Fact]
    public void OurSerializerWritesTrusteesRealEvidenceAsTheCrateDid()
    {
        JsonObject original = RealSnpEvidence();
        TrusteeSnpEvidence parsed = TrusteeSnpEvidence.Parse(original);

        JsonObject written = parsed.ToJson();

        // The file predates the crate's version 5 fields; for a version 3 report they are None (null).
        var report = (JsonObject)written["attestation_report"]!;
        Assert.Null(report["launch_mit_vector"]);
        Assert.Null(report["current_mit_vector"]);
        report.Remove("launch_mit_vector");
        report.Remove("current_mit_vector");
        Assert.True(JsonNode.DeepEquals(original, written), "the written JSON differs from Trustee's file");
    }

    [Theory]
    [InlineData("snp-report-v3-milan.bin", false)]
    [InlineData("snp-report-v3-genoa.bin", false)]
    [InlineData("snp-report-v3-vlek-milan.bin", false)]
    [InlineData("snp-report-v5-gcp-milan.bin", false)]
    [InlineData("snp-report-v5-turin.bin", true)]
    public void RealReportsOfEachGenerationRoundTrip(string file, bool turin)
    {
        byte[] report = TestData.Bytes(file);

        JsonObject json = new TrusteeSnpEvidence(report, null).ToJson();
        TrusteeSnpEvidence back = TrusteeSnpEvidence.Parse(JsonNode.Parse(json.ToJsonString()));

        Assert.Equal(report, back.Report);
        Assert.Null(back.CertificateChain);
        Assert.Null(json["cert_chain"]);
        JsonNode tcb = json["attestation_report"]!["reported_tcb"]!;
        Assert.Equal(turin, tcb["fmc"] is not null);
        bool v5 = report[0] == 5;
        Assert.Equal(v5, json["attestation_report"]!["launch_mit_vector"] is not null);
    }

    [Fact]
    public void AVersion2ReportWithAMaskedChipIdHasNoForm()
    {
        byte[] report = TestData.Bytes("snp-report-v3-milan.bin");
        report[0] = 2;
        report.AsSpan(0x1A0, 64).Clear();

        var error = Assert.Throws<EvidenceFormatException>(() => new TrusteeSnpEvidence(report, null).ToJson());

        Assert.Equal("CHIP_ID", error.Field);
    }

    [Fact]
    public void AnUnknownProcessorHasNoForm()
    {
        byte[] report = TestData.Bytes("snp-report-v3-milan.bin");
        report[0x188] = 0x17; // family 17h: no SEV-SNP

        var error = Assert.Throws<EvidenceFormatException>(() => new TrusteeSnpEvidence(report, null).ToJson());

        Assert.Contains("0x17", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CertificateTypesKeepTheirGuids()
    {
        var other = Guid.Parse("0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0");
        IReadOnlyList<(Guid, byte[])> table = [(SnpCertificateTable.Vlek, [1]), (SnpCertificateTable.Ask, [2]), (SnpCertificateTable.Ark, [3]), (other, [4]), (Guid.Parse("92f81bc3-5811-4d3d-97ff-d19f88dc67ea"), [5])];
        JsonObject json = new TrusteeSnpEvidence(TestData.Bytes("snp-report-v3-milan.bin"), table).ToJson();

        Assert.Equal("[\"VLEK\",\"ASK\",\"ARK\",{\"OTHER\":\"0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0\"},\"CRL\"]", new JsonArray([.. ((JsonArray)json["cert_chain"]!).Select(e => e!["cert_type"]!.DeepClone())]).ToJsonString());
        TrusteeSnpEvidence back = TrusteeSnpEvidence.Parse(json);
        Assert.Equal(table.Select(t => t.Item1), back.CertificateChain!.Select(t => t.Type));
        Assert.Equal([[1], [2], [3]], back.Certificates); // Trustee's verifier skips other entries and CRLs
    }

    public static TheoryData<string, string, string> MalformedSnp() => new()
    {
        { "attestation_report", "DELETE", "no attestation_report" },
        { "attestation_report.report_data", "[1,2,3]", "report_data has 3 elements, expected 64" },
        { "attestation_report.measurement.0", "256", "measurement[0]" },
        { "attestation_report.measurement.1", "-1", "measurement[1]" },
        { "attestation_report.chip_id.2", "1.5", "chip_id[2]" },
        { "attestation_report.version", "\"3\"", "version" },
        { "attestation_report.vmpl", "4294967296", "vmpl" },
        { "attestation_report.policy", "null", "policy" },
        { "attestation_report.current_tcb", "DELETE", "no current_tcb" },
        { "attestation_report.current_tcb.snp", "DELETE", "snp is missing" },
        { "attestation_report.committed", "[]", "no committed object" },
        { "attestation_report.signature.r", "DELETE", "r is nothing" },
        { "attestation_report.cpuid_mod_id", "255", "cpuid_fam_id/cpuid_mod_id" },
        { "cert_chain", "{}", "cert_chain is an object" },
        { "cert_chain.0.cert_type", "\"VCEK2\"", "cert_type is \"VCEK2\"" },
        { "cert_chain.0.cert_type", "{\"OTHER\":\"not a uuid\"}", "cert_type" },
        { "cert_chain.0.data", "\"MIIB\"", "data is a string" },
    };

    [Theory]
    [MemberData(nameof(MalformedSnp))]
    public void MalformedSnpMembersAreRefusedByName(string path, string replacement, string expected)
    {
        JsonObject evidence = RealSnpEvidence();
        Replace(evidence, path, replacement);

        var error = Assert.Throws<KbsException>(() => TrusteeSnpEvidence.Parse(evidence));

        Assert.Equal(KbsFailure.MalformedResponse, error.Reason);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OptionalMembersMayBeMissingAsSerdeAllows()
    {
        JsonObject evidence = RealSnpEvidence();
        evidence.Remove("cert_chain");
        ((JsonObject)evidence["attestation_report"]!).Remove("launch_mit_vector");
        evidence["unknown member"] = 1;

        TrusteeSnpEvidence parsed = TrusteeSnpEvidence.Parse(evidence);

        Assert.Null(parsed.CertificateChain);
        Assert.Empty(parsed.Certificates);
    }

    [Fact]
    public void TheTdxLayoutReadsTrusteesQuoteWithOrWithoutAnEventLog()
    {
        byte[] quote = TestData.Bytes("tdx-quote-v4-trustee.bin");
        JsonObject json = new TrusteeTdxEvidence(quote, null).ToJson();
        Assert.Equal(["cc_eventlog", "quote"], json.Select(m => m.Key));
        Assert.Null(json["cc_eventlog"]);
        Assert.Equal(Convert.ToBase64String(quote), (string?)json["quote"]);

        Assert.Equal(quote, TrusteeTdxEvidence.Parse(json).Quote);
        Assert.Equal(quote, TrusteeTdxEvidence.Parse(new JsonObject { ["quote"] = Convert.ToBase64String(quote) }).Quote);
        Assert.Null(TrusteeTdxEvidence.Parse(new JsonObject { ["cc_eventlog"] = string.Empty, ["quote"] = Convert.ToBase64String(quote) }).CcEventLog);
        Assert.Equal([1, 2], TrusteeTdxEvidence.Parse(new JsonObject { ["cc_eventlog"] = "AQI=", ["quote"] = "AA==" }).CcEventLog);
        Assert.Equal(TdxQuote.Parse(quote).ReportBody.MrTd.ToArray(), TdxQuote.Parse(TrusteeTdxEvidence.Parse(json).Quote).ReportBody.MrTd.ToArray());
    }

    [Theory]
    [InlineData("{\"cc_eventlog\":null}", "no quote")]
    [InlineData("{\"quote\":\"\"}", "quote is empty")]
    [InlineData("{\"quote\":\"***\"}", "not base64")]
    [InlineData("{\"quote\":5}", "no string member 'quote'")]
    [InlineData("{\"quote\":\"AA==\",\"cc_eventlog\":7}", "cc_eventlog is a number")]
    [InlineData("{\"attestation_report\":{},\"cert_chain\":null}", "another TEE's layout")]
    [InlineData("[]", "an array")]
    public void MalformedTdxEvidenceIsRefusedByName(string json, string expected)
    {
        var error = Assert.Throws<KbsException>(() => TrusteeTdxEvidence.Parse(JsonNode.Parse(json)));

        Assert.Equal(KbsFailure.MalformedResponse, error.Reason);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheSgxLayoutIsTheQuoteAlone()
    {
        byte[] quote = TestData.Bytes("sgx-quote-v3-dcapqvl.bin");

        JsonObject json = new TrusteeSgxEvidence(quote).ToJson();
        Assert.Equal(Convert.ToBase64String(quote), (string?)Assert.Single(json, m => m.Key == "quote").Value);
        Assert.Single(json);
        Assert.Equal(quote, TrusteeSgxEvidence.Parse(new TrusteeSgxEvidence(quote).ToJson()).Quote);
        Assert.Throws<KbsException>(() => TrusteeSgxEvidence.Parse(RealSnpEvidence()));
    }

    /// <summary>Replaces (or with DELETE removes) the member at a dotted path; numeric segments index arrays.</summary>
    internal static void Replace(JsonNode root, string path, string replacement)
    {
        string[] parts = path.Split('.');
        JsonNode parent = root;
        foreach (string part in parts[..^1])
        {
            parent = int.TryParse(part, out int index) ? parent[index]! : parent[part]!;
        }

        JsonNode? value = replacement == "DELETE" ? null : JsonNode.Parse(replacement);
        string last = parts[^1];
        if (parent is JsonArray array)
        {
            array[int.Parse(last, System.Globalization.CultureInfo.InvariantCulture)] = value;
        }
        else if (replacement == "DELETE")
        {
            ((JsonObject)parent).Remove(last);
        }
        else
        {
            parent[last] = value;
        }
    }
}
