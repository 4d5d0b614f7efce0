using System.Text.Json;
using EnclaveGen.Attestation.Formats;
using System.Text.Json.Nodes;

namespace EnclaveGen.Attestation.Kbs;

/// <summary>
/// SEV-SNP evidence in the layout of Trustee's SNP attester and verifier
/// (guest-components <c>attestation-agent/attester/src/snp</c>, trustee <c>deps/verifier/src/snp</c>):
/// <c>{"attestation_report": AttestationReport, "cert_chain": [CertTableEntry] | null}</c>, the
/// <c>sev</c> crate's serde form of the report and of the host's certificate table entries
/// (<c>{"cert_type": "VCEK" | "VLEK" | "ASK" | "ARK" | "CRL" | "Empty" | {"OTHER": uuid}, "data": [bytes]}</c>).
/// Trustee compares the report's REPORT_DATA with the KBS runtime-data hash, zero-padded to 64 bytes
/// (docs/key-broker.md).
/// </summary>
/// <param name="Report">The 1184-byte report, as the crate encodes it (reserved bytes zero).</param>
/// <param name="CertificateChain">The certificate table entries (GUID as in <see cref="SnpCertificateTable"/>, DER bytes), or null when the host gave none (Trustee then fetches the VCEK from AMD's KDS).</param>
public sealed record TrusteeSnpEvidence(byte[] Report, IReadOnlyList<(Guid Type, byte[] Data)>? CertificateChain)
{
    private const string What = "the SNP evidence";

    private static readonly Guid s_crl = new("92f81bc3-5811-4d3d-97ff-d19f88dc67ea");

    // The sev crate's CertType unit variants and their GUIDs (firmware/host/types/snp.rs).
    private static readonly (string Name, Guid Id)[] s_types =
    [
        ("Empty", Guid.Empty),
        ("ARK", SnpCertificateTable.Ark),
        ("ASK", SnpCertificateTable.Ask),
        ("VCEK", SnpCertificateTable.Vcek),
        ("VLEK", SnpCertificateTable.Vlek),
        ("CRL", s_crl),
    ];

    /// <summary>The JSON form. </summary>
    /// <exception cref="EvidenceFormatException">The report is not 1184 bytes, or names a version or processor the <c>sev</c> crate has no form for.</exception>
    public JsonObject ToJson()
    {
        JsonArray? chain = null;
        if (CertificateChain is not null)
        {
            chain = [];
            foreach ((Guid type, byte[] data) in CertificateChain)
            {
                string? name = s_types.FirstOrDefault(t => t.Id == type).Name;
                JsonNode typeNode = name is not null ? JsonValue.Create(name) : new JsonObject { ["OTHER"] = type.ToString("D") };
                chain.Add((JsonNode)new JsonObject { ["cert_type"] = typeNode, ["data"] = TrusteeSnpReportJson.Bytes(data) });
            }
        }

        return new JsonObject { ["attestation_report"] = TrusteeSnpReportJson.ToJson(Report), ["cert_chain"] = chain };
    }

    /// <summary>Reads the JSON form as Trustee's verifier deserializes it (unknown members ignored; a missing or null <c>cert_chain</c> is none).</summary>
    /// <exception cref="KbsException"><see cref="KbsFailure.MalformedResponse"/>: not this layout (the message names the member).</exception>
    public static TrusteeSnpEvidence Parse(JsonNode? json)
    {
        if (json is not JsonObject body)
        {
            throw TrusteeSnpReportJson.Malformed($"{What} is {KbsJson.Describe(json)}, expected an object with attestation_report and cert_chain");
        }

        if (body["attestation_report"] is null)
        {
            throw TrusteeSnpReportJson.Malformed($"{What} has no attestation_report (members: {string.Join(", ", body.Select(p => p.Key))}); is it another TEE's layout?");
        }

        byte[] report = TrusteeSnpReportJson.ToBytes(body["attestation_report"]);
        JsonNode? chainNode = body["cert_chain"];
        if (chainNode is null)
        {
            return new TrusteeSnpEvidence(report, null);
        }

        if (chainNode is not JsonArray list)
        {
            throw TrusteeSnpReportJson.Malformed($"{What}'s cert_chain is {KbsJson.Describe(chainNode)}, expected an array or null");
        }

        var chain = new List<(Guid, byte[])>(list.Count);
        for (int i = 0; i < list.Count; i++)
        {
            string entry = $"{What}'s cert_chain[{i}]";
            if (list[i] is not JsonObject item)
            {
                throw TrusteeSnpReportJson.Malformed($"{entry} is {KbsJson.Describe(list[i])}, expected an object with cert_type and data");
            }

            chain.Add((TypeOf(item["cert_type"], entry), TrusteeSnpReportJson.Array(item, "data", null, entry)));
        }

        return new TrusteeSnpEvidence(report, chain);
    }

    /// <summary>
    /// The chain's VCEK, VLEK, ASK and ARK certificates (DER), in table order, for <c>EvidenceInput.Certificates</c>:
    /// the entries Trustee's verifier uses (it skips CRLs, empty and other entries).
    /// </summary>
    public IReadOnlyList<byte[]> Certificates =>
        CertificateChain is null ? [] : [.. CertificateChain.Where(e => e.Type == SnpCertificateTable.Vcek || e.Type == SnpCertificateTable.Vlek || e.Type == SnpCertificateTable.Ask || e.Type == SnpCertificateTable.Ark).Select(e => e.Data)];

    private static Guid TypeOf(JsonNode? node, string entry)
    {
        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.String)
        {
            string name = value.GetValue<string>();
            foreach ((string known, Guid id) in s_types)
            {
                if (known == name)
                {
                    return id;
                }
            }
        }
        else if (node is JsonObject { Count: 1 } other && other["OTHER"] is JsonValue guid && guid.GetValueKind() == JsonValueKind.String
            && Guid.TryParse(guid.GetValue<string>(), out Guid id))
        {
            return id;
        }

        throw TrusteeSnpReportJson.Malformed($"{entry}'s cert_type is {(node is null ? "missing" : node.ToJsonString())}, expected one of {string.Join(", ", s_types.Select(t => t.Name))} or {{\"OTHER\": uuid}}");
    }
}
