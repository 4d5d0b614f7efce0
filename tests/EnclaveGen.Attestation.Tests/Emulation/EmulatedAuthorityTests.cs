using EnclaveGen.Attestation.Emulation;
using EnclaveGen.Attestation.Formats;
using EnclaveGen.Attestation.Verification;

namespace EnclaveGen.Attestation.Tests.Emulation;

public sealed class EmulatedAuthorityTests
{
    internal static readonly DateTimeOffset NotBefore = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    internal static readonly DateTimeOffset During = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly Lazy<EmulatedAttestationAuthority> s_shared = new(() => EmulatedAttestationAuthority.Create(new EmulatedAuthorityOptions { NotBefore = NotBefore, QeSvn = 3 }));

    internal static EmulatedAttestationAuthority Shared => s_shared.Value;

    internal static SgxReportBody SampleBody(bool debug = false, byte fill = 0x11) => new()
    {
        MrEnclave = Enumerable.Repeat(fill, 32).ToArray(),
        MrSigner = Enumerable.Repeat((byte)0x22, 32).ToArray(),
        IsvProdId = 7,
        IsvSvn = 4,
        Attributes = new SgxAttributes(SgxAttributes.Init | SgxAttributes.Mode64Bit | (debug ? SgxAttributes.Debug : 0), 3),
        CpuSvn = Enumerable.Range(1, 16).Select(i => (byte)i).ToArray(),
        ReportData = Enumerable.Range(0, 64).Select(i => (byte)(255 - i)).ToArray(),
    };

    private static readonly Lazy<AttestationVerifier> s_verifier = new(() => new AttestationVerifier([.. TrustAnchor.Defaults, Shared.TrustAnchor]));

    /// <summary>One verifier shared by the tests (it is thread-safe), trusting the real roots and the shared emulated one.</summary>
    internal static AttestationVerifier Verifier => s_verifier.Value;

    [Fact]
    public void EmulatedQuoteRoundTripsThroughTheSameVerifierAndSaysEmulated()
    {
        SgxReportBody body = SampleBody();
        byte[] quote = Shared.CreateQuote(body);

        SgxClaims claims = Verifier.Verify<SgxClaims>(quote, new AttestationPolicy { AllowEmulated = true, VerificationTime = During });

        Assert.True(claims.IsEmulated);
        Assert.False(claims.IsDebug);
        Assert.Equal(body.ToBytes(), claims.Report.ToBytes());
        Assert.Equal((ushort)7, claims.ProductId);
        Assert.Equal(4u, claims.SecurityVersion);
        Assert.Equal((ushort)3, claims.QeSvn);
        Assert.Equal(EmulatedAttestationAuthority.QeMrSigner.ToArray(), claims.QuotingEnclave.MrSigner.ToArray());
        Assert.Contains("EMULATED", claims.TrustAnchor.Subject, StringComparison.Ordinal);
    }

    [Fact]
    public void EmulatedQuoteIsRefusedByTheDefaultPolicy()
    {
        byte[] quote = Shared.CreateQuote(SampleBody());

        var e = Assert.Throws<AttestationPolicyException>(() => Verifier.Verify<SgxClaims>(quote, new AttestationPolicy { VerificationTime = During }));

        Assert.Equal("policy.emulated", e.Check);
    }

    [Fact]
    public void EmulatedQuoteFailsUnderTheRealAnchorsOnly()
    {
        byte[] quote = Shared.CreateQuote(SampleBody());

        var e = Assert.Throws<EvidenceVerificationException>(() => new AttestationVerifier().Check<SgxClaims>(quote, During));

        Assert.Equal("chain.anchor", e.Check);
    }

    [Fact]
    public void EmulatedRootSubjectSaysEmulated()
    {
        Assert.True(EmulatedAttestationAuthority.IsEmulatedRoot(Shared.RootCertificateDer.Span));
        Assert.False(EmulatedAttestationAuthority.IsEmulatedRoot(TestData.IntelRootDer));
    }

    [Fact]
    public void ExportedAuthorityImportsAndProducesQuotesTheOriginalsAnchorAccepts()
    {
        string pem = Shared.ExportPem();
        using EmulatedAttestationAuthority imported = EmulatedAttestationAuthority.ImportPem(pem);

        byte[] quote = imported.CreateQuote(SampleBody(fill: 0x33));
        SgxClaims claims = Verifier.Verify<SgxClaims>(quote, new AttestationPolicy { AllowEmulated = true, VerificationTime = During });

        Assert.Equal(Shared.RootCertificateDer.ToArray(), imported.RootCertificateDer.ToArray());
        Assert.Equal(Shared.AttestationPublicKey.ToArray(), imported.AttestationPublicKey.ToArray());
        Assert.Equal(Enumerable.Repeat((byte)0x33, 32).ToArray(), claims.UniqueId.ToArray());
        Assert.Contains("-----BEGIN PRIVATE KEY-----", pem, StringComparison.Ordinal);
    }

    [Fact]
    public void ImportRefusesAKeyThatDoesNotMatchItsCertificate()
    {
        using EmulatedAttestationAuthority other = EmulatedAttestationAuthority.Create(new EmulatedAuthorityOptions { NotBefore = NotBefore });
        string[] mine = Shared.ExportPem().Split("-----END PRIVATE KEY-----\n");
        string[] theirs = other.ExportPem().Split("-----END PRIVATE KEY-----\n");
        // Swap in the other authority's root private key (the first key block).
        string mixed = string.Join("-----END PRIVATE KEY-----\n", [theirs[0][theirs[0].IndexOf("-----BEGIN PRIVATE KEY-----", StringComparison.Ordinal)..].Insert(0, mine[0][..mine[0].IndexOf("-----BEGIN PRIVATE KEY-----", StringComparison.Ordinal)]), .. mine[1..]]);

        var e = Assert.Throws<AttestationException>(() => EmulatedAttestationAuthority.ImportPem(mixed));

        Assert.Equal("emulation.import", e.Check);
    }

    [Fact]
    public void ImportRefusesATruncatedExport()
    {
        string pem = Shared.ExportPem();

        var e = Assert.Throws<AttestationException>(() => EmulatedAttestationAuthority.ImportPem(pem[..(pem.Length / 2)]));

        Assert.Equal("emulation.import", e.Check);
    }

    [Fact]
    public void QuoteAfterTheEmulatedCertificatesExpireFails()
    {
        byte[] quote = Shared.CreateQuote(SampleBody());

        var e = Assert.Throws<EvidenceVerificationException>(() => Verifier.Check<SgxClaims>(quote, NotBefore.AddYears(11)));

        Assert.Equal("chain.validity", e.Check);
    }
}
