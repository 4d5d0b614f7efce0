namespace EnclaveGen.Attestation.Verification;

/// <summary>
/// The certificates an SEV-SNP report is verified with: the VCEK that signed it (required, as the
/// report does not carry it) and optionally the ASK (and ARK) above it. Without an ASK, the
/// embedded AMD Milan ASK is used when the VCEK names it as issuer.
/// </summary>
/// <param name="VcekDer">The VCEK certificate, DER.</param>
/// <param name="ChainDer">The ASK, optionally followed by the ARK, DER each; empty to use the embedded ASK.</param>
public sealed record SnpCertificates(ReadOnlyMemory<byte> VcekDer, IReadOnlyList<byte[]> ChainDer)
{
    /// <summary>Only the VCEK; the ASK is taken from the embedded AMD certificates.</summary>
    public SnpCertificates(ReadOnlyMemory<byte> vcekDer)
        : this(vcekDer, [])
    {
    }
}
