using System.Security.Cryptography;
using System.Text;
using EnclaveGen.Attestation;
using EnclaveGen.Attestation.Kbs;
using EnclaveGen.Attestation.Verification;
using EnclaveGen.Runtime.Tests.Enclaves;
using EnclaveGen.Tests;

namespace EnclaveGen.Runtime.Tests.Attestation;

/// <summary>
/// An enclave gets a secret from a key broker (the in-memory Trustee KBS): its key and evidence come
/// from its TEE profile, in Trustee's layout (the broker sees the quote's MRENCLAVE, or the VM's
/// launch measurement under a confidential-VM profile) or in EnclaveGen's (the broker sees the
/// enclave's MRENCLAVE inside the VM); the secret is opened only inside; the host relays text that
/// never holds it.
/// </summary>
public sealed class EnclaveKeyBrokerTests : IDisposable
{
    private static readonly byte[] s_secret = Encoding.UTF8.GetBytes("weights key released by the broker");
    private readonly EnclavePlatform _platform = EnclavePlatform.CreateInMemory();

    public void Dispose() => _platform.Dispose();

    [Theory]
    [InlineData(TeeProfile.SgxEmulated, "sgx", "{\"quote\"")]
    [InlineData(TeeProfile.CvmEmulated, "snp", "{\"attestation_report\"")]
    [InlineData(TeeProfile.CvmEmulatedTdx, "tdx", "{\"cc_eventlog\":null,\"quote\"")]
    public async Task AnEnclaveUnderEachEmulatedProfileGetsItsSecretFromAStockBroker(TeeProfile profile, string tee, string layout)
    {
        await using KbsTenant.Proxy enclave = await KbsTenant.CreateEnclaveAsync(new EnclaveOptions { Platform = _platform, Profile = profile });
        // What Trustee's layout shows the broker: the enclave's own quote under SGX, the VM under a CVM profile.
        byte[] identity = profile switch
        {
            TeeProfile.CvmEmulated => EnclaveGen.Attestation.Emulation.EmulatedSnpAuthority.EmulatedVmMeasurement.ToArray(),
            TeeProfile.CvmEmulatedTdx => EnclaveGen.Runtime.Attestation.EmulatedTdxEvidence.EmulatedTdMeasurement.ToArray(),
            _ => enclave.Identity.Mrenclave.AsSpan().ToArray(),
        };
        using FakeTrusteeBroker broker = Broker(tee, identity, KbsEvidenceLayout.Trustee);
        var relay = new HostRelay(enclave);
        using var client = new KbsClient(new Uri("https://kbs.test/"), broker, disposeHandler: false);

        await client.AttestAsync(relay);
        KbsEncryptedResource resource = await client.GetResourceAsync("default", "key", "weights");
        enclave.Provision(resource.ToJson());

        Assert.Equal(tee, relay.Tee);
        Assert.Contains("\"primary_evidence\":" + layout, Assert.Single(relay.Seen), StringComparison.Ordinal);
        Assert.Equal(SHA256.HashData(s_secret), enclave.SecretDigest());
        Assert.DoesNotContain(Convert.ToBase64String(s_secret), string.Concat(relay.Seen) + resource.ToJson(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(TeeProfile.SgxEmulated, "sgx")]
    [InlineData(TeeProfile.CvmEmulated, "snp")]
    [InlineData(TeeProfile.CvmEmulatedTdx, "tdx")]
    public async Task InEnclaveGensLayoutTheBrokerSeesTheEnclaveUnderEveryProfile(TeeProfile profile, string tee)
    {
        await using KbsTenant.Proxy enclave = await KbsTenant.CreateEnclaveAsync(new EnclaveOptions { Platform = _platform, Profile = profile });
        using FakeTrusteeBroker broker = Broker(tee, enclave.Identity.Mrenclave.AsSpan().ToArray(), KbsEvidenceLayout.EnclaveGen);
        var relay = new HostRelay(enclave, enclaveGenLayout: true);
        using var client = new KbsClient(new Uri("https://kbs.test/"), broker, disposeHandler: false);

        await client.AttestAsync(relay);
        enclave.Provision((await client.GetResourceAsync("default", "key", "weights")).ToJson());

        Assert.Equal(SHA256.HashData(s_secret), enclave.SecretDigest());
    }

    [Fact]
    public async Task AStockBrokerRefusesEnclaveGensLayout()
    {
        await using KbsTenant.Proxy enclave = await KbsTenant.CreateEnclaveAsync(new EnclaveOptions { Platform = _platform, Profile = TeeProfile.CvmEmulated });
        using FakeTrusteeBroker broker = Broker("snp", null, KbsEvidenceLayout.Trustee);
        using var client = new KbsClient(new Uri("https://kbs.test/"), broker, disposeHandler: false);

        var error = await Assert.ThrowsAsync<KbsException>(() => client.AttestAsync(new HostRelay(enclave, enclaveGenLayout: true)));

        Assert.Equal(KbsFailure.AttestationRefused, error.Reason);
        Assert.Equal(FakeTrusteeRefusal.Malformed, broker.LastRefusal);
    }

    [Theory]
    [InlineData(KbsEvidenceLayout.Trustee)]
    [InlineData(KbsEvidenceLayout.EnclaveGen)]
    public async Task ABrokerExpectingAnotherIdentityRefusesThisOne(KbsEvidenceLayout layout)
    {
        await using KbsTenant.Proxy enclave = await KbsTenant.CreateEnclaveAsync(new EnclaveOptions { Platform = _platform, Profile = TeeProfile.CvmEmulated });
        using FakeTrusteeBroker broker = Broker("snp", SHA384.HashData("another image"u8), layout);
        using var client = new KbsClient(new Uri("https://kbs.test/"), broker, disposeHandler: false);
        var relay = new HostRelay(enclave, enclaveGenLayout: layout == KbsEvidenceLayout.EnclaveGen);

        var error = await Assert.ThrowsAsync<KbsException>(() => client.AttestAsync(relay));

        Assert.Equal(KbsFailure.AttestationRefused, error.Reason);
        Assert.Equal(FakeTrusteeRefusal.IdentityMismatch, broker.LastRefusal);
        Assert.Contains("is not the expected", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ATrustedApplicationIsToldItHasNoKbsTeeType()
    {
        await using KbsTenant.Proxy enclave = await KbsTenant.CreateEnclaveAsync(new EnclaveOptions { Platform = _platform, Profile = TeeProfile.TrustZoneEmulated });

        // A fault inside reaches the host as its type name (and, for a debug enclave, its message).
        TrustedCodeException fault = Assert.Throws<TrustedCodeException>(() => enclave.Begin());
        Assert.Equal("EnclaveGen.EnclaveException", fault.ExceptionTypeName);
        Assert.Contains("trustzone-emulated", fault.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ASessionOutsideAnEnclaveIsRefused()
    {
        Assert.Throws<EnclaveCallContextException>(() => EnclaveKeyBroker.CreateSession());
    }

    private FakeTrusteeBroker Broker(string tee, byte[]? expectedIdentity, KbsEvidenceLayout layout)
    {
        var verifier = new AttestationVerifier([.. TrustAnchor.Defaults, _platform.AttestationTrustAnchor, _platform.CvmTrustAnchor]);
        var broker = new FakeTrusteeBroker(verifier, new AttestationPolicy { AllowEmulated = true, AllowDebug = true })
        {
            Layout = layout,
            Now = DateTimeOffset.UtcNow,
        };
        if (expectedIdentity is not null)
        {
            broker.ExpectedIdentity[tee] = expectedIdentity;
        }

        broker.Resources["default/key/weights"] = s_secret;
        return broker;
    }

    /// <summary>The host's side: begins the enclave's session, forwards the challenge in and the attestation out, as text.</summary>
    private sealed class HostRelay(KbsTenant.Proxy enclave, bool enclaveGenLayout = false) : IKbsAttester
    {
        private string? _tee;

        public List<string> Seen { get; } = [];

        public string Tee => _tee ??= enclaveGenLayout ? enclave.BeginWithEnclaveGenLayout() : enclave.Begin();

        public KbsAttestation Attest(KbsChallenge challenge)
        {
            string attestation = enclave.Attest(challenge.ToJson());
            Seen.Add(attestation);
            return KbsAttestation.Parse(attestation);
        }
    }
}
