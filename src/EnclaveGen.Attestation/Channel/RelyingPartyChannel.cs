using System.Security.Cryptography;
using EnclaveGen.Attestation.Verification;

namespace EnclaveGen.Attestation.Channel;

/// <summary>
/// The relying party's side of an attested channel: it verifies the enclave's evidence against its
/// policy, requires REPORTDATA to bind the enclave's channel key (and the nonce, if one was sent),
/// and only then agrees a session key (ECDH P-256, HKDF-SHA256, one key per direction).
/// </summary>
public sealed class RelyingPartyChannel
{
    private RelyingPartyChannel(AttestedSession session, byte[] publicKey, AttestationClaims claims)
    {
        Session = session;
        PublicKey = publicKey;
        Claims = claims;
    }

    /// <summary>The relying party's session.</summary>
    public AttestedSession Session { get; }

    /// <summary>The relying party's ephemeral public key, to send to the enclave (65 bytes).</summary>
    public ReadOnlyMemory<byte> PublicKey { get; }

    /// <summary>The verified claims of the enclave at the other end.</summary>
    public AttestationClaims Claims { get; }

    /// <summary>Verifies an SGX quote whose REPORTDATA binds <paramref name="enclavePublicKey"/>, then opens the channel.</summary>
    /// <param name="verifier">The verifier with the trust anchors to accept.</param>
    /// <param name="quote">The enclave's DCAP quote.</param>
    /// <param name="enclavePublicKey">The enclave's channel public key, as received with the quote.</param>
    /// <param name="policy">The policy; its <see cref="AttestationPolicy.ReportData"/> must be unset (the channel sets it).</param>
    /// <param name="nonce">The fresh nonce (up to 32 bytes) the relying party sent for REPORTDATA, if any.</param>
    /// <exception cref="AttestationException">The quote does not verify, the policy refuses it, or REPORTDATA does not bind this key (check <c>policy.reportData</c>).</exception>
    public static RelyingPartyChannel ConnectToSgxEnclave(AttestationVerifier verifier, ReadOnlySpan<byte> quote, ReadOnlySpan<byte> enclavePublicKey, AttestationPolicy policy, ReadOnlySpan<byte> nonce = default)
    {
        ArgumentNullException.ThrowIfNull(verifier);
        AttestationPolicy bound = Bind(policy, enclavePublicKey, nonce);
        SgxClaims claims = verifier.Verify<SgxClaims>(quote, bound);
        return Open(claims, enclavePublicKey, nonce);
    }

    /// <summary>
    /// Verifies evidence of any format the verifier knows (an SGX or TDX quote, an SEV-SNP report)
    /// whose report data binds <paramref name="publicKey"/>, then opens the channel.
    /// </summary>
    /// <param name="verifier">The verifier with the trust anchors and formats to accept.</param>
    /// <param name="evidence">The evidence.</param>
    /// <param name="input">Certificates the evidence does not carry (an SEV-SNP report's VCEK) and collateral; null for none.</param>
    /// <param name="publicKey">The attested side's channel public key, as received with the evidence.</param>
    /// <param name="policy">The policy; its <see cref="AttestationPolicy.ReportData"/> must be unset (the channel sets it).</param>
    /// <param name="nonce">The fresh nonce (up to 32 bytes) the relying party sent, if any.</param>
    /// <exception cref="AttestationException">The evidence does not verify, the policy refuses it, or the report data does not bind this key.</exception>
    public static RelyingPartyChannel Connect(AttestationVerifier verifier, ReadOnlySpan<byte> evidence, EvidenceInput? input, ReadOnlySpan<byte> publicKey, AttestationPolicy policy, ReadOnlySpan<byte> nonce = default)
    {
        ArgumentNullException.ThrowIfNull(verifier);
        AttestationPolicy bound = Bind(policy, publicKey, nonce);
        AttestationClaims claims = verifier.Verify(evidence, bound, input);
        return Open(claims, publicKey, nonce);
    }

    private static AttestationPolicy Bind(AttestationPolicy policy, ReadOnlySpan<byte> enclavePublicKey, ReadOnlySpan<byte> nonce)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (policy.ReportData is not null)
        {
            throw new ArgumentException("The channel binds REPORTDATA to the enclave's key itself; leave the policy's ReportData unset and pass the nonce.", nameof(policy));
        }

        if (nonce.Length > 32)
        {
            throw new ArgumentException("The nonce is at most 32 bytes.", nameof(nonce));
        }

        return policy with { ReportData = ReportDataBinding.KeyHash(enclavePublicKey, nonce) };
    }

    private static RelyingPartyChannel Open(AttestationClaims claims, ReadOnlySpan<byte> enclavePublicKey, ReadOnlySpan<byte> nonce)
    {
        using ECDiffieHellman own = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        byte[] ownPublic = ChannelKeys.ExportPublic(own);
        AttestedSession session = AttestedSession.Create(own, ownPublic, enclavePublicKey, isEnclave: false, nonce);
        return new RelyingPartyChannel(session, ownPublic, claims);
    }
}
