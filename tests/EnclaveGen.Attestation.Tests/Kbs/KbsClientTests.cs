using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using EnclaveGen.Attestation.Kbs;
using EnclaveGen.Tests;

namespace EnclaveGen.Attestation.Tests.Kbs;

/// <summary>
/// The client against an in-memory Trustee KBS (<see cref="FakeTrusteeBroker"/>): the whole RCAR
/// handshake and resource release with emulated SEV-SNP and SGX evidence, and each way it can fail.
/// </summary>
public sealed class KbsClientTests : IDisposable
{
    private static readonly Uri s_broker = new("https://kbs.test:8080/");
    private static readonly byte[] s_secret = Encoding.UTF8.GetBytes("the model's decryption key");

    private readonly FakeTrusteeBroker _broker = KbsTestTees.Broker();

    public KbsClientTests() => _broker.Resources["default/key/model"] = s_secret;

    public void Dispose() => _broker.Dispose();

    [Fact]
    public async Task AnSnpTeeAttestsAndOpensTheResourceWrappedToItsKey()
    {
        using KbsTeeSession tee = KbsTestTees.SnpSession();
        using KbsClient client = Client();

        string token = await client.AttestAsync(tee);
        KbsEncryptedResource resource = await client.GetResourceAsync("default", "key", "model");

        Assert.Equal(s_secret, tee.Open(resource));
        Assert.Equal(3, token.Split('.').Length);
        Assert.Equal(tee.PublicJwk.ToJsonString(), Assert.Single(_broker.IssuedKeys).ToJsonString());
        Assert.Equal("ECDH-ES+A256KW", resource.Algorithm);
        Assert.DoesNotContain(Convert.ToBase64String(s_secret), resource.ToJson(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnSgxQuoteAttestsAndTheSessionServesSeveralResources()
    {
        _broker.Resources["default/key/second"] = [1, 2, 3];
        using var tee = new KbsTeeSession("sgx", KbsTestTees.SgxEvidence);
        using KbsClient client = Client();

        await client.AttestAsync(tee);

        Assert.Equal(s_secret, tee.Open(await client.GetResourceAsync("default", "key", "model")));
        Assert.Equal([1, 2, 3], tee.Open(await client.GetResourceAsync("default", "key", "second")));
        Assert.Equal(1, _broker.AuthRequests);
    }

    [Theory]
    [InlineData("sha256")]
    [InlineData("sha384")]
    [InlineData("sha512")]
    public async Task TheChallengesSelectedHashAlgorithmBindsTheRuntimeData(string algorithm)
    {
        _broker.SelectedHashAlgorithm = algorithm;
        using KbsTeeSession tee = KbsTestTees.SnpSession();
        using KbsClient client = Client();

        await client.AttestAsync(tee);

        Assert.Equal(s_secret, tee.Open(await client.GetResourceAsync("default", "key", "model")));
    }

    [Fact]
    public async Task AnUnknownSelectedHashAlgorithmIsRefusedBeforeAnyEvidence()
    {
        _broker.SelectedHashAlgorithm = "sm3";
        int evidenceMade = 0;
        using var tee = new KbsTeeSession("snp", rd => { evidenceMade++; return KbsTestTees.SnpEvidence(rd); });
        using KbsClient client = Client();

        var error = await Assert.ThrowsAsync<KbsException>(() => client.AttestAsync(tee));

        Assert.Equal(KbsFailure.UnsupportedChallenge, error.Reason);
        Assert.Contains("'sm3'", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, evidenceMade);
    }

    [Fact]
    public async Task AnAttestationCarryingAnotherNonceIsRefusedWithTheBrokersProblem()
    {
        using KbsTeeSession inner = KbsTestTees.SnpSession();
        var tee = new RewritingAttester(inner, a => new KbsAttestation(Convert.ToBase64String(new byte[32]), a.TeePublicKey, a.PrimaryEvidence));
        using KbsClient client = Client();

        var error = await Assert.ThrowsAsync<KbsException>(() => client.AttestAsync(tee));

        AssertRefused(error, "AttestationError", "nonce in the handshake session is different");
    }

    [Fact]
    public async Task EvidenceBindingAnotherNonceIsRefused()
    {
        // The payload names the right nonce, but the evidence's report data was made for another.
        var tee = new KbsTeeSession("snp", rd => KbsTestTees.SnpEvidence(SHA384.HashData(rd)));
        using KbsClient client = Client();

        var error = await Assert.ThrowsAsync<KbsException>(() => client.AttestAsync(tee));

        AssertRefused(error, "AttestationError", "Report Data Mismatch");
        Assert.Equal(FakeTrusteeRefusal.ReportDataMismatch, _broker.LastRefusal);
    }

    [Fact]
    public async Task EvidenceForAnotherKeyIsRefused()
    {
        // A host swaps the TEE key in the payload for its own, keeping the TEE's evidence.
        using KbsTeeSession inner = KbsTestTees.SnpSession();
        using var hostKey = new KbsTeeKey();
        var tee = new RewritingAttester(inner, a => new KbsAttestation(a.Nonce, hostKey.PublicJwk, a.PrimaryEvidence));
        using KbsClient client = Client();

        var error = await Assert.ThrowsAsync<KbsException>(() => client.AttestAsync(tee));

        AssertRefused(error, "AttestationError", "Report Data Mismatch");
        Assert.Equal(FakeTrusteeRefusal.ReportDataMismatch, _broker.LastRefusal);
    }

    [Fact]
    public async Task AReplayedAttestationFromAnEarlierSessionIsRefused()
    {
        using KbsTeeSession first = KbsTestTees.SnpSession();
        using (KbsClient earlier = Client())
        {
            await earlier.AttestAsync(first);
        }

        KbsAttestation recorded = KbsAttestation.Parse(Assert.Single(_broker.AttestationBodies));
        var replaying = new RewritingAttester(first, _ => recorded);
        using KbsClient client = Client();

        var error = await Assert.ThrowsAsync<KbsException>(() => client.AttestAsync(replaying));

        AssertRefused(error, "AttestationError", "nonce in the handshake session is different");
    }

    [Theory]
    [InlineData(0x10)]
    [InlineData(0x50)]
    [InlineData(0x1A0)]
    [InlineData(0x2A0)]
    public async Task TamperedEvidenceIsRefused(int offset)
    {
        var tee = new KbsTeeSession("snp", rd =>
        {
            TrusteeSnpEvidence evidence = KbsTestTees.SnpTrustee(rd);
            evidence.Report[offset] ^= 0x01;
            return evidence.ToJson();
        });
        using KbsClient client = Client();

        var error = await Assert.ThrowsAsync<KbsException>(() => client.AttestAsync(tee));

        AssertRefused(error, "AttestationError", "verify TEE evidence failed");
        Assert.Equal(FakeTrusteeRefusal.EvidenceRefused, _broker.LastRefusal);
    }

    [Fact]
    public async Task ABrokerPolicyForAnotherVmImageRefusesThisOne()
    {
        _broker.ExpectedIdentity["snp"] = SHA384.HashData("another VM image"u8);
        using KbsTeeSession tee = KbsTestTees.SnpSession();
        using KbsClient client = Client();

        var error = await Assert.ThrowsAsync<KbsException>(() => client.AttestAsync(tee));

        AssertRefused(error, "AttestationError", "is not the expected");
        Assert.Equal(FakeTrusteeRefusal.IdentityMismatch, _broker.LastRefusal);
    }

    [Fact]
    public async Task ABrokerThatRefusesEmulatedEvidenceSaysSo()
    {
        using var strict = new FakeTrusteeBroker(KbsTestTees.Verifier, new() { AllowEmulated = false });
        using KbsTeeSession tee = KbsTestTees.SnpSession();
        using var client = new KbsClient(s_broker, strict, disposeHandler: false);

        var error = await Assert.ThrowsAsync<KbsException>(() => client.AttestAsync(tee));

        AssertRefused(error, "AttestationError", "emulated");
    }

    [Fact]
    public async Task AVersionMismatchIsRefusedAtAuthNamingBothVersions()
    {
        _broker.AcceptedVersion = "0.3.0";
        using KbsTeeSession tee = KbsTestTees.SnpSession();
        using KbsClient client = Client();

        var error = await Assert.ThrowsAsync<KbsException>(() => client.AttestAsync(tee));

        AssertRefused(error, "AttestationError", "expect =0.3.0 while the request is 0.4.0");
        Assert.Contains("/kbs/v0/auth answered 401", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnExpiredSessionIsUnauthorizedWhenTheClientMayNotAttestAgain()
    {
        using KbsTeeSession tee = KbsTestTees.SnpSession();
        using KbsClient client = Client(reattest: false);
        await client.AttestAsync(tee);
        _broker.Now += TimeSpan.FromMinutes(6);

        var error = await Assert.ThrowsAsync<KbsException>(() => client.GetResourceAsync("default", "key", "model"));

        Assert.Equal(KbsFailure.Unauthorized, error.Reason);
        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
        Assert.Equal("https://github.com/confidential-containers/kbs/errors/TokenNotFound", error.ProblemType);
        Assert.Contains("session is missing or expired", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnExpiredSessionIsRenewedByOneNewHandshake()
    {
        using KbsTeeSession tee = KbsTestTees.SnpSession();
        using KbsClient client = Client();
        await client.AttestAsync(tee);
        _broker.Now += TimeSpan.FromMinutes(6);

        Assert.Equal(s_secret, tee.Open(await client.GetResourceAsync("default", "key", "model")));
        Assert.Equal(2, _broker.AuthRequests);
    }

    [Fact]
    public async Task AnAttestationAfterTheSessionExpiredIsRefused()
    {
        using KbsTeeSession inner = KbsTestTees.SnpSession();
        var slow = new RewritingAttester(inner, a => { _broker.Now += TimeSpan.FromMinutes(6); return a; });
        using KbsClient client = Client();

        var error = await Assert.ThrowsAsync<KbsException>(() => client.AttestAsync(slow));

        AssertRefused(error, "AttestationError", "session expired");
    }

    [Fact]
    public async Task AnUnknownResourceIsNotFound()
    {
        using KbsTeeSession tee = KbsTestTees.SnpSession();
        using KbsClient client = Client();
        await client.AttestAsync(tee);

        var error = await Assert.ThrowsAsync<KbsException>(() => client.GetResourceAsync("default", "key", "nothing"));

        Assert.Equal(KbsFailure.ResourceNotFound, error.Reason);
        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
        Assert.Contains("/kbs/v0/resource/default/key/nothing answered 404", error.Message, StringComparison.Ordinal);
        Assert.Contains("registered with the broker", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AResourceBeforeAttestationIsAProgrammingError()
    {
        using KbsClient client = Client();
        await Assert.ThrowsAsync<InvalidOperationException>(() => client.GetResourceAsync("default", "key", "model"));
        await Assert.ThrowsAsync<ArgumentException>(() => client.GetResourceAsync("default", "key/../..", "model"));
    }

    private KbsClient Client(bool reattest = true) => new(s_broker, _broker, disposeHandler: false) { ReattestWhenUnauthorized = reattest };

    private static void AssertRefused(KbsException error, string problem, string detail)
    {
        Assert.Equal(KbsFailure.AttestationRefused, error.Reason);
        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
        Assert.Equal("https://github.com/confidential-containers/kbs/errors/" + problem, error.ProblemType);
        Assert.Contains(detail, error.ProblemDetail, StringComparison.Ordinal);
        Assert.Contains(detail, error.Message, StringComparison.Ordinal);
        Assert.StartsWith("kbs.attestationRefused: ", error.Message, StringComparison.Ordinal);
    }

    /// <summary>A host between the client and the TEE that changes the attestation.</summary>
    private sealed class RewritingAttester(IKbsAttester inner, Func<KbsAttestation, KbsAttestation> rewrite) : IKbsAttester
    {
        public string Tee => inner.Tee;

        public KbsAttestation Attest(KbsChallenge challenge) => rewrite(inner.Attest(challenge));
    }
}
