using EnclaveGen.Attestation.Formats;
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
}
