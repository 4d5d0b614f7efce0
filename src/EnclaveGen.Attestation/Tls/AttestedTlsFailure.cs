namespace EnclaveGen.Attestation.Tls;

/// <summary>Why an attested TLS peer was refused (<see cref="AttestedTlsException.Reason"/>).</summary>
public enum AttestedTlsFailure
{
    /// <summary>The peer sent no certificate, or its certificate has no RA-TLS evidence extension (an ordinary TLS server, or a man in the middle with its own certificate).</summary>
    NoEvidence,

    /// <summary>The evidence does not parse (malformed CBOR, an unknown tag, a missing claim), does not verify (a signature, a chain, an untrusted root), or is of a format this verifier does not read.</summary>
    EvidenceInvalid,

    /// <summary>The evidence is genuine but does not bind this certificate's public key: the <c>pubkey-hash</c> claim names another key, or the quote's report data is not the hash of these claims (evidence copied from another certificate).</summary>
    KeyNotBound,

    /// <summary>The evidence is genuine and binds the key, but the relying party's policy refuses it (emulated, debug, another enclave, a too low security version, ...).</summary>
    PolicyRefused,

    /// <summary>The connection did not negotiate TLS 1.3, the only version attested TLS accepts.</summary>
    ProtocolRefused,
}
