using System.Security.Cryptography.X509Certificates;
using EnclaveGen.Attestation.Formats;
using EnclaveGen.Attestation.Tls;
using EnclaveGen.Attestation.Verification;

namespace EnclaveGen.Attestation.Tests.Tls;

/// <summary>The relying party's checks on a certificate, one attack each (no network; the loopback tests run the same checks inside real handshakes).</summary>
public sealed class AttestedTlsValidationTests
{
    private static AttestedTlsException Refused(X509Certificate2? certificate, AttestationPolicy? policy = null, AttestationVerifier? verifier = null) =>
        Assert.Throws<AttestedTlsException>(() => AttestedTls.Verify(certificate, policy ?? TlsFixtures.Lenient, verifier ?? TlsFixtures.Verifier));

    [Fact]
    public void EnclaveCertificateVerifiesAndItsClaimsAreTheEnclaves()
    {
        using X509Certificate2 certificate = TlsFixtures.Enclave(mrEnclave: 0x5a);

        AttestedTlsPeer peer = AttestedTls.Verify(certificate, TlsFixtures.Lenient with { ExpectedUniqueIds = [Enumerable.Repeat((byte)0x5a, 32).ToArray()] }, TlsFixtures.Verifier);

        SgxClaims claims = Assert.IsType<SgxClaims>(peer.Claims);
        Assert.True(claims.IsEmulated);
        Assert.Equal(RaTlsEvidence.ReportDataFor(peer.Evidence.ClaimsBuffer.Span), claims.ReportData.ToArray());
        Assert.Equal(System.Security.Cryptography.SHA256.HashData(certificate.PublicKey.ExportSubjectPublicKeyInfo()), peer.Evidence.PublicKeyHash.ToArray());
    }

    [Fact]
    public void AQuoteUnderTheCvmTagIsRefusedForNotBeingWhatItsTagSays()
    {
        // Genuine, bound to this certificate's key, and verifiable: only its tag is wrong.
        using X509Certificate2 certificate = RaTlsCertificateBuilder.Create(RaTlsFormat.CvmEnclaveEvidenceTag, reportData => TlsFixtures.Quote(reportData), client: false);

        AttestedTlsException refused = Assert.Throws<AttestedTlsException>(() => AttestedTls.Verify(certificate, TlsFixtures.Lenient, TlsFixtures.Verifier));

        Assert.Equal(AttestedTlsFailure.EvidenceInvalid, refused.Reason);
        Assert.Contains($"tag {RaTlsFormat.CvmEnclaveEvidenceTag}", refused.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => RaTlsCertificateBuilder.Create(60001, reportData => TlsFixtures.Quote(reportData), client: false));
    }

    [Fact]
    public void NoCertificateOrOneWithoutEvidenceIsNoEvidence()
    {
        using X509Certificate2 own = TlsFixtures.WithExtension(null);

        Assert.Equal(AttestedTlsFailure.NoEvidence, Refused(null).Reason);
        AttestedTlsException e = Refused(own);
        Assert.Equal(AttestedTlsFailure.NoEvidence, e.Reason);
        Assert.Equal("tls.noEvidence", e.Check);
        Assert.Contains("CN=host in the middle", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GenuineEvidenceCopiedIntoAnotherKeysCertificateIsKeyNotBound()
    {
        using X509Certificate2 enclave = TlsFixtures.Enclave();
        using X509Certificate2 attacker = TlsFixtures.WithExtension(TlsFixtures.ExtensionOf(enclave));

        AttestedTlsException e = Refused(attacker);

        Assert.Equal(AttestedTlsFailure.KeyNotBound, e.Reason);
        Assert.Contains("pubkey-hash", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnEarlierCertificatesQuoteUnderFreshClaimsIsKeyNotBound()
    {
        // The attacker names its own key correctly in the claims and replays a genuine quote of an
        // earlier certificate: the quote verifies, but its report data hashes the earlier claims.
        using X509Certificate2 earlier = TlsFixtures.Enclave();
        byte[] replayedQuote = RaTlsEvidence.Decode(TlsFixtures.ExtensionOf(earlier)).Evidence.ToArray();
        using X509Certificate2 replay = TlsFixtures.WithOwnClaimsAndQuote(replayedQuote);

        AttestedTlsException e = Refused(replay);

        Assert.Equal(AttestedTlsFailure.KeyNotBound, e.Reason);
        Assert.Contains("report data", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EvidenceBindingAKeyHashButNotTheClaimsHashIsKeyNotBound()
    {
        // The older convention (report data = SHA-256 of the key itself) is not this format's binding.
        using X509Certificate2 forged = TlsFixtures.WithExtension(null, (request, _) =>
        {
            byte[] spki = request.PublicKey.ExportSubjectPublicKeyInfo();
            byte[] quote = TlsFixtures.Quote(ReportDataBinding.ComputeKeyHashReportData(spki));
            request.CertificateExtensions.Add(new X509Extension(RaTlsFormat.EvidenceExtensionOid, RaTlsEvidence.Encode(RaTlsFormat.IntelTeeQuoteTag, quote, RaTlsEvidence.CreateClaimsBuffer(spki)), false));
        });

        Assert.Equal(AttestedTlsFailure.KeyNotBound, Refused(forged).Reason);
    }

    [Fact]
    public void EmulatedOrDebugEvidenceUnderAStrictPolicyIsPolicyRefused()
    {
        using X509Certificate2 release = TlsFixtures.Enclave();
        using X509Certificate2 debug = TlsFixtures.Enclave(debug: true);
        AttestationPolicy strict = new() { VerificationTime = TlsFixtures.Lenient.VerificationTime };

        AttestedTlsException emulated = Refused(release, strict);
        AttestedTlsException debugRefused = Refused(debug, TlsFixtures.Lenient);

        Assert.Equal(AttestedTlsFailure.PolicyRefused, emulated.Reason);
        Assert.Equal("policy.emulated", Assert.IsType<AttestationPolicyException>(emulated.InnerException).Check);
        Assert.Equal(AttestedTlsFailure.PolicyRefused, debugRefused.Reason);
        Assert.Equal("policy.debug", Assert.IsType<AttestationPolicyException>(debugRefused.InnerException).Check);
    }

    [Fact]
    public void AnotherEnclaveIsPolicyRefused()
    {
        using X509Certificate2 other = TlsFixtures.Enclave(mrEnclave: 0x33);

        AttestedTlsException e = Refused(other, TlsFixtures.Lenient with { ExpectedUniqueIds = [Enumerable.Repeat((byte)0x11, 32).ToArray()] });

        Assert.Equal(AttestedTlsFailure.PolicyRefused, e.Reason);
        Assert.Equal("policy.uniqueId", e.InnerException is AttestationException inner ? inner.Check : null);
    }

    [Fact]
    public void EmulatedEvidenceWithoutTheEmulatedRootIsEvidenceInvalid()
    {
        using X509Certificate2 certificate = TlsFixtures.Enclave();

        AttestedTlsException e = Refused(certificate, verifier: new AttestationVerifier());

        Assert.Equal(AttestedTlsFailure.EvidenceInvalid, e.Reason);
    }

    [Fact]
    public void EveryTamperedQuoteByteIsEvidenceInvalidOrKeyNotBound()
    {
        using X509Certificate2 enclave = TlsFixtures.Enclave();
        RaTlsEvidence genuine = RaTlsEvidence.Decode(TlsFixtures.ExtensionOf(enclave));
        byte[] quote = genuine.Evidence.ToArray();

        // Every 97th byte of the quote, flipped in a certificate that otherwise binds its own key.
        for (int offset = 0; offset < quote.Length; offset += 97)
        {
            byte[] tampered = (byte[])quote.Clone();
            tampered[offset] ^= 0x40;
            using X509Certificate2 forged = TlsFixtures.WithOwnClaimsAndQuote(tampered);

            AttestedTlsException e = Refused(forged);

            Assert.True(e.Reason == AttestedTlsFailure.EvidenceInvalid, $"offset {offset}: {e.Reason} {e.Message}");
        }
    }

    [Fact]
    public void AnUnknownTagIsEvidenceInvalid()
    {
        using X509Certificate2 enclave = TlsFixtures.Enclave();
        RaTlsEvidence genuine = RaTlsEvidence.Decode(TlsFixtures.ExtensionOf(enclave));
        using X509Certificate2 otherTag = TlsFixtures.WithExtension(null, (request, _) => request.CertificateExtensions.Add(new X509Extension(
            RaTlsFormat.EvidenceExtensionOid, RaTlsEvidence.Encode(60001, genuine.Evidence.Span, RaTlsEvidence.CreateClaimsBuffer(request.PublicKey.ExportSubjectPublicKeyInfo())), false)));

        AttestedTlsException tag = Refused(otherTag);

        Assert.Equal(AttestedTlsFailure.EvidenceInvalid, tag.Reason);
        Assert.Contains("60001", tag.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TwoEvidenceExtensionsAreEvidenceInvalid()
    {
        // Which of two would a verifier read? Neither: the certificate is ambiguous.
        using X509Certificate2 enclave = TlsFixtures.Enclave();
        using X509Certificate2 twice = TlsFixtures.WithEvidenceTwice(TlsFixtures.ExtensionOf(enclave));

        AttestedTlsException e = Refused(twice);

        Assert.Equal(2, twice.Extensions.Count(x => x.Oid?.Value == RaTlsFormat.EvidenceExtensionOid));
        Assert.Equal(AttestedTlsFailure.EvidenceInvalid, e.Reason);
        Assert.Contains("exactly one", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void APolicyWithItsOwnReportDataIsAnArgumentError()
    {
        using X509Certificate2 certificate = TlsFixtures.Enclave();

        Assert.Throws<ArgumentException>(() => AttestedTls.Verify(certificate, TlsFixtures.Lenient with { ReportData = ReportDataBinding.Nonce([1]) }, TlsFixtures.Verifier));
    }

    [Fact]
    public void TheRefusalIsFoundWhereHttpClientAndSslStreamWrapItAndNothingElseIsTakenForOne()
    {
        AttestedTlsException refusal = Refused(null);
        HttpRequestException wrapped = new("The SSL connection could not be established.", new System.Security.Authentication.AuthenticationException("The remote certificate was rejected.", refusal));

        Assert.Same(refusal, AttestedTls.FindRefusal(wrapped));
        Assert.Same(refusal, AttestedTls.FindRefusal(refusal));
        Assert.Null(AttestedTls.FindRefusal(new HttpRequestException("Connection refused", new IOException("refused"))));
        Assert.Null(AttestedTls.FindRefusal(new AttestationPolicyException("policy.emulated", "hardware evidence", "emulated evidence")));
    }
}
