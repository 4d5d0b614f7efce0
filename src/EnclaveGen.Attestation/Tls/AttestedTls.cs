using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using EnclaveGen.Attestation.Verification;

namespace EnclaveGen.Attestation.Tls;

/// <summary>
/// The relying party's side of attested TLS: an ordinary .NET TLS client (<see cref="SslStream"/>,
/// <see cref="HttpClient"/>) that accepts a server only when its certificate carries RA-TLS evidence
/// that verifies, binds the certificate's key, and meets the policy. TLS 1.3 only. No runtime needed.
/// </summary>
/// <remarks>
/// <para>Trust comes from the evidence, not from a CA: the certificate is self-signed, so chain and
/// name errors of the platform's X.509 validation are ignored, and the TLS handshake itself proves
/// the server holds the certificate's private key. Checks, in order: a certificate with one evidence
/// extension (<see cref="AttestedTlsFailure.NoEvidence"/>); the extension parses and its
/// <c>pubkey-hash</c> is the hash of this certificate's SubjectPublicKeyInfo
/// (<see cref="AttestedTlsFailure.EvidenceInvalid"/>, <see cref="AttestedTlsFailure.KeyNotBound"/>); the
/// evidence verifies to a trusted anchor (<see cref="AttestedTlsFailure.EvidenceInvalid"/>); its report
/// data is SHA-256 of the claims buffer then zeros (<see cref="AttestedTlsFailure.KeyNotBound"/>); the
/// policy accepts the claims (<see cref="AttestedTlsFailure.PolicyRefused"/>).</para>
/// <para>A refusal throws <see cref="AttestedTlsException"/> from the validation callback: SslStream
/// rethrows it from <c>AuthenticateAsClientAsync</c>; HttpClient wraps it in an
/// <see cref="HttpRequestException"/> whose inner exceptions contain it.</para>
/// </remarks>
public static class AttestedTls
{
    private static readonly Lazy<AttestationVerifier> s_defaultVerifier = new(() => new AttestationVerifier());

    /// <summary>Checks a peer's certificate (a server's, or an enclave client's in secret release) and returns the verified peer.</summary>
    /// <param name="certificate">The peer's certificate (null when it sent none).</param>
    /// <param name="policy">What to accept; its <see cref="AttestationPolicy.ReportData"/> must be unset (the binding sets it).</param>
    /// <param name="verifier">The verifier with the anchors to trust; null trusts the real Intel and AMD roots only (emulated evidence then fails: pass a verifier that trusts the emulated platform's root).</param>
    /// <exception cref="AttestedTlsException">The certificate was refused; <see cref="AttestedTlsException.Reason"/> says why.</exception>
    public static AttestedTlsPeer Verify(X509Certificate? certificate, AttestationPolicy policy, AttestationVerifier? verifier = null)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (policy.ReportData is not null)
        {
            throw new ArgumentException("Attested TLS binds the report data to the certificate's key itself; leave the policy's ReportData unset.", nameof(policy));
        }

        if (certificate is null)
        {
            throw new AttestedTlsException(AttestedTlsFailure.NoEvidence, "the peer sent no certificate; expected an RA-TLS certificate carrying evidence.");
        }

        using X509Certificate2? loaded = certificate is X509Certificate2 ? null : X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        X509Certificate2 cert = loaded ?? (X509Certificate2)certificate;
        RaTlsEvidence evidence = ReadEvidence(cert);
        CheckKeyHash(cert, evidence);

        AttestationVerifier checker = verifier ?? s_defaultVerifier.Value;
        AttestationClaims claims;
        try
        {
            claims = checker.Check(evidence.Evidence.Span, policy.EffectiveTime);
        }
        catch (AttestationException e)
        {
            throw new AttestedTlsException(AttestedTlsFailure.EvidenceInvalid, $"the certificate's evidence does not verify: {e.Message}", e);
        }

        // The tag says what the evidence is; evidence of another kind under it is refused, not guessed.
        if ((evidence.Tag == RaTlsFormat.CvmEnclaveEvidenceTag) != (claims.Format == Formats.EvidenceFormat.CvmEnclave))
        {
            throw new AttestedTlsException(AttestedTlsFailure.EvidenceInvalid, $"the evidence under CBOR tag {evidence.Tag} is {claims.Format.DisplayName}; tag {RaTlsFormat.IntelTeeQuoteTag} carries an Intel TEE quote and tag {RaTlsFormat.CvmEnclaveEvidenceTag} a cvm-enclave blob.");
        }

        byte[] expected = RaTlsEvidence.ReportDataFor(evidence.ClaimsBuffer.Span);
        if (!ReportDataBinding.Exact(expected).Matches(claims.ReportData.Span))
        {
            throw new AttestedTlsException(AttestedTlsFailure.KeyNotBound, $"the evidence's report data is {Convert.ToHexStringLower(claims.ReportData.Span)}, expected SHA-256 of this certificate's claims then zeros ({Convert.ToHexStringLower(expected)}): the evidence was made for other claims (another certificate's key).");
        }

        try
        {
            policy.Enforce(claims);
        }
        catch (AttestationPolicyException e)
        {
            throw new AttestedTlsException(AttestedTlsFailure.PolicyRefused, $"the policy refuses the peer's evidence: {e.Message}", e);
        }

        return new AttestedTlsPeer(claims, evidence);
    }

    /// <summary>A validation callback for <see cref="SslStream"/> that accepts only an attested server (see <see cref="Verify"/>).</summary>
    /// <param name="policy">What to accept.</param>
    /// <param name="verifier">The anchors to trust; null for the real Intel and AMD roots.</param>
    /// <param name="onVerified">Called with the verified peer before the handshake completes; null for none.</param>
    public static RemoteCertificateValidationCallback ValidateServerCertificate(AttestationPolicy policy, AttestationVerifier? verifier = null, Action<AttestedTlsPeer>? onVerified = null)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return (sender, certificate, _, _) =>
        {
            if (sender is SslStream stream && stream.SslProtocol != SslProtocols.Tls13)
            {
                throw new AttestedTlsException(AttestedTlsFailure.ProtocolRefused, $"the connection negotiated {stream.SslProtocol}; attested TLS accepts TLS 1.3 only. Enable TLS 1.3 on both sides.");
            }

            AttestedTlsPeer peer = Verify(certificate, policy, verifier);
            onVerified?.Invoke(peer);
            return true;
        };
    }

    /// <summary>Client options for <see cref="SslStream.AuthenticateAsClientAsync(SslClientAuthenticationOptions, CancellationToken)"/>: TLS 1.3 only, with the attested validation.</summary>
    public static SslClientAuthenticationOptions CreateClientOptions(string targetHost, AttestationPolicy policy, AttestationVerifier? verifier = null, Action<AttestedTlsPeer>? onVerified = null) => new()
    {
        TargetHost = targetHost,
        EnabledSslProtocols = SslProtocols.Tls13,
        RemoteCertificateValidationCallback = ValidateServerCertificate(policy, verifier, onVerified),
    };

    /// <summary>An HTTP handler that speaks HTTPS only to attested servers (TLS 1.3, the attested validation). Give it to <see cref="HttpClient"/>.</summary>
    public static SocketsHttpHandler CreateHandler(AttestationPolicy policy, AttestationVerifier? verifier = null, Action<AttestedTlsPeer>? onVerified = null) => new()
    {
        SslOptions = CreateClientOptions(targetHost: string.Empty, policy, verifier, onVerified),
    };

    /// <summary>
    /// The attested validation's refusal behind a failed request or handshake: HttpClient and
    /// SslStream wrap what the validation callback threw (HttpRequestException, then
    /// AuthenticationException), so it is found in the chain of inner exceptions. Null when the
    /// failure was something else (the server could not be reached, say).
    /// </summary>
    /// <param name="failure">What HttpClient or SslStream threw.</param>
    /// <returns>The refusal, with its reason, or null.</returns>
    public static AttestedTlsException? FindRefusal(Exception failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        for (Exception? inner = failure; inner is not null; inner = inner.InnerException)
        {
            if (inner is AttestedTlsException refusal)
            {
                return refusal;
            }
        }

        return null;
    }

    private static RaTlsEvidence ReadEvidence(X509Certificate2 certificate)
    {
        X509Extension[] found = certificate.Extensions.Where(e => e.Oid?.Value == RaTlsFormat.EvidenceExtensionOid).ToArray();
        if (found.Length == 0)
        {
            throw new AttestedTlsException(AttestedTlsFailure.NoEvidence, $"the certificate '{certificate.Subject}' has no evidence extension {RaTlsFormat.EvidenceExtensionOid}: the peer is not an attested enclave (or a host in the middle presented its own certificate).");
        }

        if (found.Length > 1)
        {
            throw new AttestedTlsException(AttestedTlsFailure.EvidenceInvalid, $"the certificate has {found.Length} evidence extensions {RaTlsFormat.EvidenceExtensionOid}; expected exactly one.");
        }

        RaTlsEvidence evidence;
        try
        {
            evidence = RaTlsEvidence.Decode(found[0].RawData);
        }
        catch (EvidenceFormatException e)
        {
            throw new AttestedTlsException(AttestedTlsFailure.EvidenceInvalid, $"the evidence extension does not parse: {e.Message}", e);
        }

        if (evidence.Tag is not (RaTlsFormat.IntelTeeQuoteTag or RaTlsFormat.CvmEnclaveEvidenceTag))
        {
            throw new AttestedTlsException(AttestedTlsFailure.EvidenceInvalid, $"the evidence has CBOR tag {evidence.Tag}; this verifier reads tag {RaTlsFormat.IntelTeeQuoteTag} (an Intel TEE quote) and {RaTlsFormat.CvmEnclaveEvidenceTag} (an enclave inside a confidential VM).");
        }

        return evidence;
    }

    private static void CheckKeyHash(X509Certificate2 certificate, RaTlsEvidence evidence)
    {
        byte[] actual = RaTlsEvidence.Hash(evidence.PublicKeyHashAlgorithm, SubjectPublicKeyInfo.Of(certificate));
        if (!System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(actual, evidence.PublicKeyHash.Span))
        {
            throw new AttestedTlsException(AttestedTlsFailure.KeyNotBound, $"the evidence's pubkey-hash is {Convert.ToHexStringLower(evidence.PublicKeyHash.Span)}, but this certificate's key hashes to {Convert.ToHexStringLower(actual)}: the evidence belongs to another certificate.");
        }
    }
}
