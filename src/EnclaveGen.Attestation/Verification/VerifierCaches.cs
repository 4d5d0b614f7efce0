using System.Buffers.Binary;
using System.Security.Cryptography;
using EnclaveGen.Attestation.X509;

namespace EnclaveGen.Attestation.Verification;

/// <summary>
/// What one <see cref="AttestationVerifier"/> remembers between calls, each keyed by the exact bytes
/// that decide it: parsed certificates, imported public keys and verified certificate signatures
/// (in <see cref="Keys"/>), and chains that validated, with their anchors and verification time.
/// A cache saves work and never changes an outcome: failures are not remembered.
/// </summary>
internal sealed class VerifierCaches
{
    private readonly BoundedCache<ParsedCertificate> _certificates = new(64);
    private readonly BoundedCache<TrustAnchor> _chains = new(32);

    public PublicKeyCache Keys { get; } = new();

    /// <summary>Parses a certificate, or reuses the parse of the same bytes.</summary>
    /// <exception cref="EvidenceVerificationException">The bytes are not one canonical DER certificate.</exception>
    public ParsedCertificate Certificate(byte[] der, string name) =>
        _certificates.GetOrAdd(der, bytes => ParsedCertificate.Parse(bytes, name));

    /// <summary>Validates a chain to one of <paramref name="anchors"/> at <paramref name="time"/>, or reuses an earlier success for the same inputs.</summary>
    /// <exception cref="EvidenceVerificationException">A chain check failed.</exception>
    public TrustAnchor ValidateChain(IReadOnlyList<ParsedCertificate> chain, IReadOnlyList<string> names, IReadOnlyList<TrustAnchor> anchors, DateTimeOffset time)
    {
        if (anchors.Count == 0)
        {
            throw new EvidenceVerificationException("chain.anchor", "this verifier has no trust anchor for this kind of evidence");
        }

        return _chains.GetOrAdd(ChainKey(chain, anchors, time), _ => CertificateChainValidator.Validate(chain, names, anchors, time, Keys));
    }

    /// <summary>SHA-256 over every input of chain validation: the time, the anchors and the certificates.</summary>
    private static byte[] ChainKey(IReadOnlyList<ParsedCertificate> chain, IReadOnlyList<TrustAnchor> anchors, DateTimeOffset time)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> number = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(number, time.UtcTicks);
        hash.AppendData(number);
        foreach (TrustAnchor anchor in anchors)
        {
            BinaryPrimitives.WriteInt64LittleEndian(number, anchor.Id);
            hash.AppendData(number);
        }

        foreach (ParsedCertificate certificate in chain)
        {
            BinaryPrimitives.WriteInt64LittleEndian(number, certificate.Der.Length);
            hash.AppendData(number);
            hash.AppendData(certificate.Der);
        }

        return hash.GetHashAndReset();
    }
}
