using EnclaveGen.Attestation.Verification;

namespace EnclaveGen.Attestation.Tls;

/// <summary>An attested TLS peer that passed every check: its verified claims and the evidence they came from.</summary>
/// <param name="Claims">The verified claims of the enclave (or guest) holding the certificate's key.</param>
/// <param name="Evidence">The certificate's parsed evidence extension.</param>
public sealed record AttestedTlsPeer(AttestationClaims Claims, RaTlsEvidence Evidence);
