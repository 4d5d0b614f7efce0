using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using EnclaveGen.Attestation.Emulation;
using EnclaveGen.Attestation.Kbs;
using EnclaveGen.Tests;

namespace EnclaveGen.Attestation.Tests.Kbs;

/// <summary>
/// The client and TEE session against the fake broker reading Trustee's layouts, as a stock Trustee
/// does: each TEE type's layout attests with the runtime-data hash as the evidence's own REPORT_DATA;
/// evidence in the wrong layout, of the wrong TEE, truncated, without certificates or in EnclaveGen's
/// layout is refused, each for its own reason (<see cref="FakeTrusteeBroker.LastRefusal"/>).
/// </summary>
public sealed class KbsTrusteeLayoutTests : IDisposable
{
    private static readonly byte[] s_secret = Encoding.UTF8.GetBytes("released by a stock broker");
    private readonly FakeTrusteeBroker _broker = KbsTestTees.Broker();

    public KbsTrusteeLayoutTests() => _broker.Resources["default/key/model"] = s_secret;

    public void Dispose() => _broker.Dispose();

    public static TheoryData<string> Tees() => ["snp", "tdx", "sgx"];

    [Theory]
    [MemberData(nameof(Tees))]
    public async Task EachTeeTypesLayoutAttestsAndOpensTheResource(string teeType)
    {
        using var tee = new KbsTeeSession(teeType, Evidence(teeType));
        using KbsClient client = Client();

        await client.AttestAsync(tee);

        Assert.Null(_broker.LastRefusal);
        Assert.Equal(s_secret, tee.Open(await client.GetResourceAsync("default", "key", "model")));
    }

    [Fact]
    public async Task TheVmsOwnReportDataIsTheHashOfTheRuntimeDataPaddedTo64Bytes()
    {
        using var recorder = new Recorder(_broker);
        using var tee = new KbsTeeSession("snp", KbsTestTees.SnpEvidence);
        using var client = new KbsClient(new Uri("https://kbs.test/"), recorder, disposeHandler: false);

        await client.AttestAsync(tee);

        JsonObject attestation = (JsonObject)JsonNode.Parse(recorder.AttestBody!)!;
        JsonObject runtime = (JsonObject)attestation["runtime-data"]!;
        // Trustee's CoCo attestation service: SHA-384 (the challenge selects none) of the canonical JSON.
        string canonical = "{\"additional-evidence\":\"\",\"nonce\":\"" + (string)runtime["nonce"]! + "\",\"tee-pubkey\":" + CanonicalKey(tee.PublicJwk) + "}";
        byte[] expected = [.. SHA384.HashData(Encoding.UTF8.GetBytes(canonical)), .. new byte[16]];
        byte[] reportData = [.. ((JsonArray)attestation["tee-evidence"]!["primary_evidence"]!["attestation_report"]!["report_data"]!).Select(n => (byte)n!)];
        Assert.Equal(expected, reportData);
    }

    [Fact]
    public async Task AStockBrokerRefusesEnclaveGensLayout()
    {
        using var tee = new KbsTeeSession("snp", KbsTestTees.SnpEnclaveGenEvidence);
        using KbsClient client = Client();

        var error = await Assert.ThrowsAsync<KbsException>(() => client.AttestAsync(tee));

        Assert.Equal(KbsFailure.AttestationRefused, error.Reason);
        Assert.Contains("Deserialize SNP Evidence failed", error.ProblemDetail, StringComparison.Ordinal);
        Assert.Equal(FakeTrusteeRefusal.Malformed, _broker.LastRefusal);
    }

    [Fact]
    public async Task ABrokerReadingEnclaveGensLayoutSeesTheEnclaveInsideTheVm()
    {
        _broker.Layout = KbsEvidenceLayout.EnclaveGen;
        _broker.ExpectedIdentity["snp"] = KbsTestTees.MrEnclave;
        using var tee = new KbsTeeSession("snp", KbsTestTees.SnpEnclaveGenEvidence);
        using KbsClient client = Client();

        await client.AttestAsync(tee);

        Assert.Equal(s_secret, tee.Open(await client.GetResourceAsync("default", "key", "model")));
    }

    [Fact]
    public async Task UnderTrusteesLayoutTheBrokerSeesTheVmNotTheEnclave()
    {
        // A policy written for the enclave's MRENCLAVE cannot match: the evidence shows the VM's MEASUREMENT.
        _broker.ExpectedIdentity["snp"] = KbsTestTees.MrEnclave;
        using var tee = new KbsTeeSession("snp", KbsTestTees.SnpEvidence);
        using KbsClient client = Client();

        var error = await Assert.ThrowsAsync<KbsException>(() => client.AttestAsync(tee));

        Assert.Equal(FakeTrusteeRefusal.IdentityMismatch, _broker.LastRefusal);
        Assert.Contains(Convert.ToHexStringLower(EmulatedSnpAuthority.EmulatedVmMeasurement.Span), error.ProblemDetail, StringComparison.Ordinal);
    }

    public static TheoryData<string, string, FakeTrusteeRefusal> WrongLayouts() => new()
    {
        { "snp", "tdx", FakeTrusteeRefusal.Malformed },      // TDX layout sent for an snp Request
        { "tdx", "snp", FakeTrusteeRefusal.Malformed },      // SNP layout for a tdx Request
        { "tdx", "sgx", FakeTrusteeRefusal.TeeMismatch },    // an SGX quote in the TDX layout
        { "sgx", "tdx", FakeTrusteeRefusal.TeeMismatch },    // a TDX quote in the SGX layout
    };

    [Theory]
    [MemberData(nameof(WrongLayouts))]
    public async Task EvidenceInAnotherTeesLayoutIsRefused(string requested, string made, FakeTrusteeRefusal reason)
    {
        using var tee = new KbsTeeSession(requested, Evidence(made));
        using KbsClient client = Client();

        var error = await Assert.ThrowsAsync<KbsException>(() => client.AttestAsync(tee));

        Assert.Equal(KbsFailure.AttestationRefused, error.Reason);
        Assert.Equal(reason, _broker.LastRefusal);
    }

    public static TheoryData<string, string, FakeTrusteeRefusal> Alterations() => new()
    {
        { "snp", "truncated report_data", FakeTrusteeRefusal.Malformed },
        { "snp", "no cert_chain", FakeTrusteeRefusal.EvidenceRefused },
        { "snp", "VMPL 1", FakeTrusteeRefusal.EvidenceRefused },
        { "snp", "version 2", FakeTrusteeRefusal.EvidenceRefused },
        { "tdx", "truncated quote", FakeTrusteeRefusal.EvidenceRefused },
        { "tdx", "flipped REPORTDATA byte", FakeTrusteeRefusal.EvidenceRefused },
        { "tdx", "another nonce", FakeTrusteeRefusal.ReportDataMismatch },
        { "sgx", "another nonce", FakeTrusteeRefusal.ReportDataMismatch },
        { "snp", "another nonce", FakeTrusteeRefusal.ReportDataMismatch },
    };

    [Theory]
    [MemberData(nameof(Alterations))]
    public async Task AlteredEvidenceIsRefusedForItsReason(string teeType, string alteration, FakeTrusteeRefusal reason)
    {
        Func<byte[], JsonNode> make = Evidence(teeType);
        using var tee = new KbsTeeSession(teeType, rd => alteration switch
        {
            "truncated report_data" => Edit(make(rd), e => ((JsonArray)e["attestation_report"]!["report_data"]!).RemoveAt(63)),
            "no cert_chain" => Edit(make(rd), e => e["cert_chain"] = null),
            "VMPL 1" => Edit(make(rd), e => e["attestation_report"]!["vmpl"] = 1),
            "version 2" => Edit(make(rd), e => e["attestation_report"]!["version"] = 2),
            "truncated quote" => new TrusteeTdxEvidence(KbsTestTees.TdxQuote(rd)[..^200], null).ToJson(),
            "flipped REPORTDATA byte" => new TrusteeTdxEvidence(Flip(KbsTestTees.TdxQuote(rd), 48 + 520), null).ToJson(),
            _ => make(SHA512.HashData(rd)), // "another nonce": evidence made for other report data
        });
        using KbsClient client = Client();

        var error = await Assert.ThrowsAsync<KbsException>(() => client.AttestAsync(tee));

        Assert.Equal(KbsFailure.AttestationRefused, error.Reason);
        Assert.Equal(reason, _broker.LastRefusal);
        Assert.Contains("verify TEE evidence failed", error.ProblemDetail, StringComparison.Ordinal);
    }

    private static Func<byte[], JsonNode> Evidence(string teeType) => teeType switch
    {
        "snp" => KbsTestTees.SnpEvidence,
        "tdx" => KbsTestTees.TdxEvidence,
        _ => KbsTestTees.SgxEvidence,
    };

    private static JsonNode Edit(JsonNode evidence, Action<JsonNode> edit)
    {
        edit(evidence);
        return evidence;
    }

    private static byte[] Flip(byte[] bytes, int offset)
    {
        bytes[offset] ^= 0x01;
        return bytes;
    }

    // RFC 8785 for the P-256 JWK: members sorted, no whitespace (every value is an ASCII string).
    private static string CanonicalKey(JsonObject jwk) =>
        "{" + string.Join(",", jwk.OrderBy(m => m.Key, StringComparer.Ordinal).Select(m => $"\"{m.Key}\":\"{(string)m.Value!}\"")) + "}";

    private KbsClient Client() => new(new Uri("https://kbs.test/"), _broker, disposeHandler: false);

    private sealed class Recorder(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        public string? AttestBody { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.RequestUri!.AbsolutePath.EndsWith("/attest", StringComparison.Ordinal))
            {
                AttestBody = await request.Content!.ReadAsStringAsync(cancellationToken);
            }

            return await base.SendAsync(request, cancellationToken);
        }
    }
}
