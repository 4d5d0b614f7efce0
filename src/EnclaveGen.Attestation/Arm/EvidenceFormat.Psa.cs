namespace EnclaveGen.Attestation.Formats;

/// <summary>The Arm PSA attestation token format.</summary>
public sealed partial class EvidenceFormat
{
    /// <summary>An Arm PSA attestation token (RFC 9783: COSE_Sign1 over PSA claims), checked by <see cref="Arm.PsaToken.Verify"/> with the device's attestation key.</summary>
    public static EvidenceFormat PsaToken { get; } = new("psa-token", "Arm PSA attestation token") { Family = "psa" };
}
