using EnclaveGen.Attestation;
using EnclaveGen.Attestation.Channel;
using EnclaveGen.Attestation.Verification;
using EnclaveGen.Runtime.Tests.Enclaves;

namespace EnclaveGen.Runtime.Tests;

/// <summary>
/// Evidence of real (emulated) enclaves: quotes verified by the same verifier as hardware quotes,
/// the attested channel end to end through a host that relays only ciphertext, local reports, and
/// sealing to the enclave's identity.
/// </summary>
public abstract class AttestationTests(EnclaveMode mode) : IAsyncLifetime
{
    private readonly EnclavePlatform _platform = EnclavePlatform.CreateInMemory();
    private Aggregator.Proxy _aggregator = null!;

    public async Task InitializeAsync() =>
        _aggregator = await Aggregator.CreateEnclaveAsync(Options());

    public async Task DisposeAsync()
    {
        await _aggregator.DisposeAsync();
        _platform.Dispose();
    }

    [Fact]
    public void QuoteVerifiesWithTheEnclavesVerifiedIdentityAndSaysEmulated()
    {
        byte[] nonce = "fresh nonce 0001"u8.ToArray();
        (byte[] quote, byte[] publicKey) = _aggregator.Offer(nonce);

        AttestationVerifier verifier = new([.. TrustAnchor.Defaults, _platform.AttestationTrustAnchor]);
        SgxClaims claims = verifier.Verify<SgxClaims>(quote, new AttestationPolicy
        {
            AllowDebug = true,
            AllowEmulated = true,
            ReportData = ReportDataBinding.KeyHash(publicKey, nonce),
        });

        EnclaveIdentity identity = _aggregator.Identity;
        Assert.True(claims.IsEmulated);
        Assert.True(claims.IsDebug);
        Assert.Equal(identity.Mrenclave.AsSpan().ToArray(), claims.UniqueId.ToArray());
        Assert.Equal(identity.Mrsigner.AsSpan().ToArray(), claims.SignerId.ToArray());
        Assert.Equal((ushort?)identity.ProductId, claims.ProductId);
        Assert.Equal((uint?)identity.SecurityVersion, claims.SecurityVersion);
    }

    [Fact]
    public void DefaultPolicyRefusesEmulatedEvidenceAndAProductionPolicyRefusesADebugEnclave()
    {
        (byte[] quote, _) = _aggregator.Offer([]);
        AttestationVerifier verifier = new([.. TrustAnchor.Defaults, _platform.AttestationTrustAnchor]);

        AttestationPolicyException emulated = Assert.Throws<AttestationPolicyException>(() => verifier.Verify<SgxClaims>(quote, new AttestationPolicy { AllowDebug = true }));
        Assert.Equal("policy.emulated", emulated.Check);

        AttestationPolicyException debug = Assert.Throws<AttestationPolicyException>(() => verifier.Verify<SgxClaims>(quote, new AttestationPolicy { AllowEmulated = true }));
        Assert.Equal("policy.debug", debug.Check);
    }

    [Fact]
    public void QuoteDoesNotVerifyAgainstTheIntelRootAlone()
    {
        (byte[] quote, _) = _aggregator.Offer([]);
        AttestationVerifier verifier = new(TrustAnchor.Defaults);

        Assert.ThrowsAny<AttestationException>(() => verifier.Verify<SgxClaims>(quote, new AttestationPolicy { AllowDebug = true, AllowEmulated = true }));
    }

    [Fact]
    public void RelyingPartyComputesOnEnclaveInputsOverTheChannel()
    {
        byte[] nonce = "nonce for channel"u8.ToArray();
        (byte[] quote, byte[] enclaveKey) = _aggregator.Offer(nonce);
        AttestationVerifier verifier = new([.. TrustAnchor.Defaults, _platform.AttestationTrustAnchor]);
        RelyingPartyChannel party = RelyingPartyChannel.ConnectToSgxEnclave(
            verifier,
            quote,
            enclaveKey,
            new AttestationPolicy { AllowDebug = true, AllowEmulated = true, ExpectedUniqueIds = [_aggregator.Identity.Mrenclave.AsSpan().ToArray()] },
            nonce);
        _aggregator.Accept(party.PublicKey.ToArray());

        foreach (int value in new[] { 10, 20, 60 })
        {
            _aggregator.Submit(party.Session.Seal(BitConverter.GetBytes(value)));
        }

        double mean = BitConverter.ToDouble(party.Session.Open(_aggregator.Mean()));
        Assert.Equal(30.0, mean);
    }

    [Fact]
    public void HostThatSwapsTheEnclavesKeyIsCaught()
    {
        byte[] nonce = "nonce for mitm"u8.ToArray();
        (byte[] quote, _) = _aggregator.Offer(nonce);
        using EnclaveChannelKey attacker = EnclaveChannelKey.Create();
        AttestationVerifier verifier = new([.. TrustAnchor.Defaults, _platform.AttestationTrustAnchor]);

        AttestationException exception = Assert.ThrowsAny<AttestationException>(() => RelyingPartyChannel.ConnectToSgxEnclave(
            verifier, quote, attacker.PublicKey.Span, new AttestationPolicy { AllowDebug = true, AllowEmulated = true }, nonce));
        Assert.Contains("reportData", exception.Check, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void TamperedRecordIsRejectedInsideTheEnclave()
    {
        (byte[] quote, byte[] enclaveKey) = _aggregator.Offer([]);
        AttestationVerifier verifier = new([.. TrustAnchor.Defaults, _platform.AttestationTrustAnchor]);
        RelyingPartyChannel party = RelyingPartyChannel.ConnectToSgxEnclave(verifier, quote, enclaveKey, new AttestationPolicy { AllowDebug = true, AllowEmulated = true });
        _aggregator.Accept(party.PublicKey.ToArray());

        byte[] record = party.Session.Seal(BitConverter.GetBytes(5));
        record[^1] ^= 1;

        TrustedCodeException exception = Assert.Throws<TrustedCodeException>(() => _aggregator.Submit(record));
        Assert.Equal(typeof(AttestedChannelException).FullName, exception.ExceptionTypeName);
    }

    [Fact]
    public async Task LocalReportVerifiesOnlyAtItsTargetEnclave()
    {
        await using Witness.Proxy witness = await Witness.CreateEnclaveAsync(Options());
        byte[] data = "bound by the aggregator"u8.ToArray();

        byte[] report = _aggregator.ReportFor(witness.TargetInfo(), data);
        Assert.Equal(data, witness.VerifyReport(report).AsSpan(0, data.Length).ToArray());

        // The aggregator itself is not the target: the MAC does not verify there.
        TrustedCodeException wrongTarget = Assert.Throws<TrustedCodeException>(() => _aggregator.VerifyReport(report));
        Assert.Contains("Attestation", wrongTarget.ExceptionTypeName);

        // A report for the aggregator, checked by the aggregator.
        byte[] selfReport = witness.ReportFor(_aggregator.TargetInfo(), data);
        Assert.Equal(data, _aggregator.VerifyReport(selfReport).AsSpan(0, data.Length).ToArray());
    }

    [Fact]
    public async Task SealedDataOpensForTheSameEnclaveOrSignerAsThePolicySays()
    {
        byte[] byEnclave = _aggregator.SealNote("enclave only", SealingPolicy.MrEnclave);
        byte[] bySigner = _aggregator.SealNote("same signer", SealingPolicy.MrSigner);

        // A second instance of the same enclave opens both.
        await using Aggregator.Proxy again = await Aggregator.CreateEnclaveAsync(Options());
        Assert.Equal("enclave only", again.UnsealNote(byEnclave));

        // Another enclave of the same signer and product opens only the MRSIGNER one.
        await using Witness.Proxy witness = await Witness.CreateEnclaveAsync(Options());
        Assert.Equal("same signer", witness.UnsealNote(bySigner));
        TrustedCodeException refused = Assert.Throws<TrustedCodeException>(() => witness.UnsealNote(byEnclave));
        Assert.Equal(typeof(EnclaveSealingException).FullName, refused.ExceptionTypeName);
    }

    [Fact]
    public async Task SealedDataDoesNotOpenOnAnotherPlatform()
    {
        byte[] sealedNote = _aggregator.SealNote("this machine only", SealingPolicy.MrSigner);
        using EnclavePlatform other = EnclavePlatform.CreateInMemory();
        await using Aggregator.Proxy elsewhere = await Aggregator.CreateEnclaveAsync(new EnclaveOptions { Mode = mode, Platform = other });

        TrustedCodeException refused = Assert.Throws<TrustedCodeException>(() => elsewhere.UnsealNote(sealedNote));
        Assert.Equal(typeof(EnclaveSealingException).FullName, refused.ExceptionTypeName);
    }

    private EnclaveOptions Options() => new() { Mode = mode, Platform = _platform };
}
