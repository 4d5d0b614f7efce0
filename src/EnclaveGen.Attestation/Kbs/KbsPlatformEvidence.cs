using System.Text.Json;
using System.Text.Json.Nodes;

namespace EnclaveGen.Attestation.Kbs;

/// <summary>
/// EnclaveGen's evidence as the <c>primary_evidence</c> of a KBS Attestation:
/// <c>{"format": "snp-report", "evidence": base64, "certificates": [base64, ...], "enclave-report": base64 | null}</c>.
/// <c>format</c> is an <c>EvidenceFormat</c> ID; <c>certificates</c> are those the evidence does not
/// carry (an SEV-SNP report's VCEK and ASK); <c>enclave-report</c> is the enclave's report body that
/// confidential-VM evidence binds (docs/profiles.md). A broker that knows this layout verifies it
/// with <c>AttestationVerifier</c>, then <c>CvmEnclaveBinding.Check</c> when a body is present, and
/// finds the KBS report data in the enclave's report data (docs/key-broker.md). Trustee's own
/// attestation service reads its attesters' layouts, not this one.
/// </summary>
/// <param name="Format">The evidence format's ID (<c>sgx-quote</c>, <c>snp-report</c>, <c>tdx-quote</c>, ...).</param>
/// <param name="Evidence">The quote or report.</param>
/// <param name="Certificates">Certificates the evidence does not carry.</param>
/// <param name="EnclaveReport">The enclave's 384-byte report body bound by VM evidence, or null.</param>
public sealed record KbsPlatformEvidence(string Format, byte[] Evidence, IReadOnlyList<byte[]> Certificates, byte[]? EnclaveReport)
{
    /// <summary>The KBS protocol's TEE type for a TEE family: <c>sgx</c> to <c>sgx</c>, <c>sev-snp</c> to <c>snp</c>, <c>tdx</c> to <c>tdx</c>.</summary>
    /// <exception cref="ArgumentException">A family the KBS protocol has no type for.</exception>
    public static string TeeOf(string family) => family switch
    {
        "sgx" => "sgx",
        "sev-snp" => "snp",
        "tdx" => "tdx",
        _ => throw new ArgumentException($"The TEE family '{family}' has no KBS TEE type here; expected sgx, sev-snp or tdx.", nameof(family)),
    };

    /// <summary>The JSON form.</summary>
    public JsonObject ToJson() => new()
    {
        ["format"] = Format,
        ["evidence"] = Convert.ToBase64String(Evidence),
        ["certificates"] = new JsonArray([.. Certificates.Select(c => (JsonNode?)JsonValue.Create(Convert.ToBase64String(c)))]),
        ["enclave-report"] = EnclaveReport is null ? null : Convert.ToBase64String(EnclaveReport),
    };

    /// <summary>Reads the JSON form.</summary>
    /// <exception cref="KbsException"><see cref="KbsFailure.MalformedResponse"/>: a member is missing or not base64.</exception>
    public static KbsPlatformEvidence Parse(JsonNode? json)
    {
        const string What = "the EnclaveGen primary_evidence";
        if (json is not JsonObject body)
        {
            throw new KbsException(KbsFailure.MalformedResponse, $"{What} is {KbsJson.Describe(json)}, expected an object with format, evidence, certificates and enclave-report.");
        }

        string format = KbsJson.RequiredString(body, "format", What);
        byte[] evidence = Base64(KbsJson.RequiredString(body, "evidence", What), "evidence");
        if (body["certificates"] is not JsonArray list)
        {
            throw new KbsException(KbsFailure.MalformedResponse, $"{What} has no certificates array (found {KbsJson.Describe(body["certificates"])}).");
        }

        var certificates = new List<byte[]>();
        foreach (JsonNode? item in list)
        {
            if (item is null || item.GetValueKind() != JsonValueKind.String)
            {
                throw new KbsException(KbsFailure.MalformedResponse, $"{What}: a certificates entry is {KbsJson.Describe(item)}, expected a base64 string.");
            }

            certificates.Add(Base64(item.GetValue<string>(), "certificates"));
        }

        byte[]? enclaveReport = body["enclave-report"] is null ? null : Base64(KbsJson.RequiredString(body, "enclave-report", What), "enclave-report");
        return new KbsPlatformEvidence(format, evidence, certificates, enclaveReport);
    }

    private static byte[] Base64(string text, string member)
    {
        try
        {
            return Convert.FromBase64String(text);
        }
        catch (FormatException e)
        {
            throw new KbsException(KbsFailure.MalformedResponse, $"the EnclaveGen primary_evidence's {member} is not base64.", e);
        }
    }
}
