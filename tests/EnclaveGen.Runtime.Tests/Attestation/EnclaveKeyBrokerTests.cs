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
/// from its TEE profile, the broker verifies the evidence with EnclaveGen's verifier, and the secret
/// is opened only inside; the host relays text that never holds it.
/// </summary>
public sealed class EnclaveKeyBrokerTests : IDisposable
{
    private static readonly byte[] s_secret = Encoding.UTF8.GetBytes("weights key released by the broker");
    private readonly EnclavePlatform _platform = EnclavePlatform.CreateInMemory();

    public void Dispose() => _platform.Dispose();

    [Theory]
    [InlineData(TeeProfile.SgxEmulated, "sgx")]
    [InlineData(TeeProfile.CvmEmulated, "snp")]
    [InlineData(TeeProfile.CvmEmulatedTdx, "tdx")]
    public async Task AnEnclaveUnderEachEmulatedProfileGetsItsSecretFromTheBroker(TeeProfile profile, string tee)
    {
        await using KbsTenant.Proxy enclave = await KbsTenant.CreateEnclaveAsync(new EnclaveOptions { Platform = _platform, Profile = profile });
        using FakeTrusteeBroker broker = Broker(enclave.Identity.Mrenclave.AsSpan().ToArray());
        var relay = new HostRelay(enclave);
        using var client = new KbsClient(new Uri("https://kbs.test/"), broker, disposeHandler: false);

        await client.AttestAsync(relay);
        KbsEncryptedResource resource = await client.GetResourceAsync("default", "key", "weights");
        enclave.Provision(resource.ToJson());

        Assert.Equal(tee, relay.Tee);
        Assert.Equal(SHA256.HashData(s_secret), enclave.SecretDigest());
        Assert.DoesNotContain(Convert.ToBase64String(s_secret), string.Concat(relay.Seen) + resource.ToJson(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABrokerExpectingAnotherEnclaveRefusesThisOne()
    {
        await using KbsTenant.Proxy enclave = await KbsTenant.CreateEnclaveAsync(new EnclaveOptions { Platform = _platform, Profile = TeeProfile.CvmEmulated });
        using FakeTrusteeBroker broker = Broker(SHA256.HashData("another enclave"u8));
        using var client = new KbsClient(new Uri("https://kbs.test/"), broker, disposeHandler: false);

        var error = await Assert.ThrowsAsync<KbsException>(() => client.AttestAsync(new HostRelay(enclave)));

        Assert.Equal(KbsFailure.AttestationRefused, error.Reason);
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

    private FakeTrusteeBroker Broker(byte[] expectedMrEnclave)
    {
        var verifier = new AttestationVerifier([.. TrustAnchor.Defaults, _platform.AttestationTrustAnchor, _platform.CvmTrustAnchor]);
        var broker = new FakeTrusteeBroker(verifier, new AttestationPolicy { AllowEmulated = true, AllowDebug = true })
        {
            ExpectedMrEnclave = expectedMrEnclave,
            Now = DateTimeOffset.UtcNow,
        };
        broker.Resources["default/key/weights"] = s_secret;
        return broker;
    }

    /// <summary>The host's side: forwards the challenge into the enclave and the attestation out, as text.</summary>
    private sealed class HostRelay(KbsTenant.Proxy enclave) : IKbsAttester
    {
        private string? _tee;

        public List<string> Seen { get; } = [];

        public string Tee => _tee ??= enclave.Begin();

        public KbsAttestation Attest(KbsChallenge challenge)
        {
            string attestation = enclave.Attest(challenge.ToJson());
            Seen.Add(attestation);
            return KbsAttestation.Parse(attestation);
        }
    }
}
