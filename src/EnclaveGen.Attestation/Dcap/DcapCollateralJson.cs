using System.Text.Json;
using EnclaveGen.Attestation.Pem;

namespace EnclaveGen.Attestation.Verification;

/// <summary>
/// Reads Intel's quote verification collateral in the JSON layout open-source DCAP verifiers write
/// (for example Phala's dcap-qvl): one object with nine string fields, <c>pck_crl_issuer_chain</c>,
/// <c>root_ca_crl</c>, <c>pck_crl</c>, <c>tcb_info_issuer_chain</c>, <c>tcb_info</c>,
/// <c>tcb_info_signature</c>, <c>qe_identity_issuer_chain</c>, <c>qe_identity</c> and
/// <c>qe_identity_signature</c>. Chains are PEM, CRLs hex DER or PEM, signatures hex r||s, and
/// <c>tcb_info</c> and <c>qe_identity</c> the exact JSON text Intel signed.
/// </summary>
/// <remarks>
/// <c>pck_crl_issuer_chain</c> must hold certificates but is otherwise not needed: the PCK CRL is
/// verified with the key of the PCK CA in the quote's own validated chain. Other fields are ignored.
/// </remarks>
public static class DcapCollateralJson
{
    private const string Structure = "collateral JSON";
    private const int MaxSize = 1024 * 1024;

    /// <summary>Reads the nine-field collateral.</summary>
    /// <exception cref="EvidenceFormatException">The text is not such JSON; the message names the field.</exception>
    public static AttestationCollateral Read(ReadOnlySpan<byte> json)
    {
        if (json.IsEmpty || json.Length > MaxSize || !System.Text.Unicode.Utf8.IsValid(json))
        {
            throw new EvidenceFormatException(Structure, "text", -1, $"expected UTF-8 JSON of 1 to {MaxSize} bytes");
        }

        try
        {
            using JsonDocument document = JsonDocument.Parse(json.ToArray(), new JsonDocumentOptions { MaxDepth = 8 });
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new EvidenceFormatException(Structure, "text", -1, "expected one JSON object with the nine collateral fields");
            }

            _ = Certificates(root, "pck_crl_issuer_chain");
            byte[] rootCrl = Crl(root, "root_ca_crl");
            byte[] pckCrl = Crl(root, "pck_crl");
            var tcbInfo = new TcbInfoCollateral(Utf8(root, "tcb_info"), Signature(root, "tcb_info_signature"), Certificates(root, "tcb_info_issuer_chain"));
            var qeIdentity = new QeIdentityCollateral(Utf8(root, "qe_identity"), Signature(root, "qe_identity_signature"), Certificates(root, "qe_identity_issuer_chain"));
            return new AttestationCollateral([rootCrl, pckCrl]) { TcbInfo = tcbInfo, QeIdentity = qeIdentity };
        }
        catch (JsonException e)
        {
            throw new EvidenceFormatException(Structure, "text", -1, $"not JSON ({ErrorText.Message(e)})");
        }
    }

    private static string Field(JsonElement root, string name) =>
        root.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text
            ? text
            : throw new EvidenceFormatException(Structure, name, -1, $"the field '{name}' is missing or not a non-empty string; the collateral JSON has nine string fields (pck_crl_issuer_chain, root_ca_crl, pck_crl, tcb_info_issuer_chain, tcb_info, tcb_info_signature, qe_identity_issuer_chain, qe_identity, qe_identity_signature)");

    private static byte[] Utf8(JsonElement root, string name) => System.Text.Encoding.UTF8.GetBytes(Field(root, name));

    private static IReadOnlyList<byte[]> Certificates(JsonElement root, string name)
    {
        try
        {
            return StrictPem.DecodeCertificateFile(Utf8(root, name));
        }
        catch (EvidenceFormatException e)
        {
            throw new EvidenceFormatException(Structure, name, -1, $"the field '{name}' is not a PEM certificate chain ({ErrorText.Message(e)})");
        }
    }

    private static byte[] Crl(JsonElement root, string name)
    {
        try
        {
            IReadOnlyList<byte[]> crls = AttestationCollateral.ReadCrls(Utf8(root, name));
            return crls.Count == 1 ? crls[0] : throw new EvidenceFormatException(Structure, name, -1, $"the field '{name}' holds {crls.Count} CRLs, expected one");
        }
        catch (EvidenceFormatException e) when (e.Structure != Structure)
        {
            throw new EvidenceFormatException(Structure, name, -1, $"the field '{name}' is not a CRL as hex DER or PEM ({ErrorText.Message(e)})");
        }
    }

    private static byte[] Signature(JsonElement root, string name)
    {
        string hex = Field(root, name);
        return hex.Length == 128 && hex.All(Uri.IsHexDigit) ? Convert.FromHexString(hex) : throw new EvidenceFormatException(Structure, name, -1, $"the field '{name}' must be 64 bytes of hex (r||s), found {hex.Length} characters");
    }
}
