using System.Text.Json.Nodes;
using EnclaveGen.Attestation.Formats;
using EnclaveGen.Attestation.Kbs;
using EnclaveGen.Attestation.Verification;

namespace EnclaveGen;

/// <summary>
/// Evidence from the configfs TSM report interface: the report (<c>outblob</c>) in the format the
/// provider names, and what came beside it (<c>auxblob</c>; for <c>sev_guest</c>, the host's
/// certificate table, from which <see cref="Certificates"/> are read).
/// </summary>
/// <param name="Provider">The kernel's provider: <c>sev_guest</c> or <c>tdx_guest</c>.</param>
/// <param name="Format">The evidence format (an SEV-SNP report, or a TDX quote).</param>
/// <param name="Evidence">The report or quote, as the kernel gave it.</param>
/// <param name="AuxBlob">The supplemental data, empty when the provider gives none.</param>
/// <param name="Certificates">The VCEK or VLEK and its issuers from an SEV-SNP certificate table, signing certificate first; empty otherwise.</param>
/// <param name="Generation">The entry's <c>generation</c> after the report was read.</param>
public sealed record TsmReport(string Provider, EvidenceFormat Format, byte[] Evidence, byte[] AuxBlob, IReadOnlyList<byte[]> Certificates, ulong Generation)
{
    /// <summary>The TEE family of the evidence (<see cref="EvidenceFormat.Family"/>).</summary>
    public string Family => Format.Family;

    /// <summary>What a verifier needs beside <see cref="Evidence"/>: the certificates that came with it.</summary>
    public EvidenceInput Input => new() { Certificates = Certificates };

    /// <summary>
    /// This evidence in the layout of Trustee's attester for its TEE type, with that type: <c>snp</c>,
    /// <c>{"attestation_report", "cert_chain"}</c> with the certificate table of <see cref="AuxBlob"/>
    /// (null when the host gave none); <c>tdx</c>, <c>{"cc_eventlog": null, "quote"}</c>
    /// (docs/key-broker.md). What a confidential VM without an enclave passes to a
    /// <see cref="KbsTeeSession"/>.
    /// </summary>
    /// <exception cref="EnclaveGen.Attestation.AttestationException">The certificate table is malformed, or the SEV-SNP report names a processor Trustee's layout has no form for.</exception>
    public (string Tee, JsonObject Evidence) ToTrusteeEvidence() => Format.Family switch
    {
        "sev-snp" => ("snp", new TrusteeSnpEvidence(Evidence, AuxBlob.Length == 0 ? null : SnpCertificateTable.Parse(AuxBlob)).ToJson()),
        "tdx" => ("tdx", new TrusteeTdxEvidence(Evidence, null).ToJson()),
        _ => throw new InvalidOperationException($"Evidence of format {Format.Id} has no Trustee layout; a TSM report is an SEV-SNP report or a TDX quote."),
    };
}
