namespace EnclaveGen.Attestation.Tls;

/// <summary>
/// The identifiers of the interoperable RA-TLS certificate format (CCC-Attestation
/// "Interoperable RA-TLS X.509 Cert and Evidence Formats", as Gramine, the Intel SGX SDK and
/// rats-tls write it): which X.509 extension carries the evidence, which CBOR tag says what the
/// evidence is, and the names of the custom claims. The layout is in <c>docs/attested-tls.md</c>.
/// </summary>
public static class RaTlsFormat
{
    /// <summary>
    /// The X.509 extension that carries the evidence: <c>tcg-dice-conceptual-message-wrapper</c>
    /// (named <c>tcg-dice-tagged-evidence</c> in earlier drafts), 2.23.133.5.4.9. Its value is the
    /// tagged CBOR evidence itself.
    /// </summary>
    public const string EvidenceExtensionOid = "2.23.133.5.4.9";

    /// <summary>
    /// IANA CBOR tag 60000: an Intel TEE quote (SGX or TDX, ECDSA, quote version 3 or 4) with a
    /// claims buffer: <c>60000([ bstr quote, bstr claims-buffer ])</c>.
    /// </summary>
    public const ulong IntelTeeQuoteTag = 60000;

    /// <summary>
    /// EnclaveGen's tag for an enclave inside a confidential VM: <c>1162298198([ bstr cvm-enclave evidence, bstr claims-buffer ])</c>,
    /// where the evidence is one <c>cvm-enclave</c> blob (the VM's SEV-SNP report or TDX quote, its
    /// certificates and the enclave's report body that the VM's report binds; docs/profiles.md).
    /// Not registered with IANA (no registered tag describes an enclave partition inside a CVM): only
    /// EnclaveGen's verifier reads it, and other RA-TLS verifiers refuse it by its tag.
    /// </summary>
    public const ulong CvmEnclaveEvidenceTag = 0x4547_4356; // "EGCV"

    /// <summary>The claim holding the hash of the certificate's SubjectPublicKeyInfo (required).</summary>
    public const string PublicKeyHashClaim = "pubkey-hash";

    /// <summary>The claim holding a relying party's nonce (optional).</summary>
    public const string NonceClaim = "nonce";

    /// <summary>IANA named-information hash algorithm IDs a verifier of <see cref="PublicKeyHashClaim"/> must read.</summary>
    public const ulong Sha256AlgorithmId = 1;

    /// <summary>SHA-384 in the IANA named-information registry.</summary>
    public const ulong Sha384AlgorithmId = 7;

    /// <summary>SHA-512 in the IANA named-information registry.</summary>
    public const ulong Sha512AlgorithmId = 8;
}
