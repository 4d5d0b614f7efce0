using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using EnclaveGen.Attestation.Kbs;
using EnclaveGen.Tests;

namespace EnclaveGen.Attestation.Tests.Kbs;

/// <summary>
/// The client against broker answers that are out of protocol: malformed, altered or foreign JWEs, a
/// missing cookie, a server that is not a broker, a challenge without a nonce; and the shape of what
/// the client sends.
/// </summary>
public sealed class KbsBrokerAnswerTests : IDisposable
{
    private static readonly Uri s_broker = new("https://kbs.test:8080/");

    private readonly FakeTrusteeBroker _broker = new(KbsTestTees.Verifier, KbsTestTees.Policy);

    public KbsBrokerAnswerTests() => _broker.Resources["default/key/model"] = Encoding.UTF8.GetBytes("the model's decryption key");

    public void Dispose() => _broker.Dispose();

    [Theory]
    [InlineData("drop-tag", KbsFailure.MalformedResponse)]
    [InlineData("not-json", KbsFailure.MalformedResponse)]
    [InlineData("flip-ciphertext", KbsFailure.DecryptionFailed)]
    [InlineData("rsa1_5", KbsFailure.UnsupportedAlgorithm)]
    public async Task AMalformedOrAlteredJweIsRefusedByReason(string change, KbsFailure expected)
    {
        _broker.RewriteResource = jwe =>
        {
            JsonObject body = (JsonObject)JsonNode.Parse(jwe)!;
            switch (change)
            {
                case "drop-tag":
                    body.Remove("tag");
                    break;
                case "not-json":
                    return "\"a string, not a JWE\"";
                case "flip-ciphertext":
                    string text = (string)body["ciphertext"]!;
                    body["ciphertext"] = (text[0] == 'A' ? "B" : "A") + text[1..];
                    break;
                default:
                    body["protected"] = System.Buffers.Text.Base64Url.EncodeToString("{\"alg\":\"RSA1_5\",\"enc\":\"A256GCM\"}"u8);
                    break;
            }

            return body.ToJsonString();
        };
        using KbsTeeSession tee = KbsTestTees.SnpSession();
        using KbsClient client = Client();
        await client.AttestAsync(tee);

        var error = await Assert.ThrowsAsync<KbsException>(async () => tee.Open(await client.GetResourceAsync("default", "key", "model")));

        Assert.Equal(expected, error.Reason);
    }

    [Fact]
    public async Task AResourceWrappedForAnotherTeeDoesNotOpen()
    {
        using KbsTeeSession tee = KbsTestTees.SnpSession();
        using KbsTeeSession other = KbsTestTees.SnpSession();
        using KbsClient client = Client();
        await client.AttestAsync(tee);

        KbsEncryptedResource resource = await client.GetResourceAsync("default", "key", "model");

        Assert.Equal(KbsFailure.DecryptionFailed, Assert.Throws<KbsException>(() => other.Open(resource)).Reason);
    }

    [Fact]
    public async Task AnAuthAnswerWithoutTheSessionCookieIsRefused()
    {
        _broker.SetsCookie = false;
        using KbsTeeSession tee = KbsTestTees.SnpSession();
        using KbsClient client = Client();

        var error = await Assert.ThrowsAsync<KbsException>(() => client.AttestAsync(tee));

        Assert.Equal(KbsFailure.MalformedResponse, error.Reason);
        Assert.Contains("kbs-session-id", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AServerThatIsNotABrokerIsReportedWithAnExcerptOfItsAnswer()
    {
        using var handler = new FixedAnswer(HttpStatusCode.InternalServerError, "<html>upstream error</html>");
        using var client = new KbsClient(s_broker, handler, disposeHandler: false);
        using KbsTeeSession tee = KbsTestTees.SnpSession();

        var error = await Assert.ThrowsAsync<KbsException>(() => client.AttestAsync(tee));

        Assert.Equal(KbsFailure.MalformedResponse, error.Reason);
        Assert.Null(error.ProblemType);
        Assert.Contains("500", error.Message, StringComparison.Ordinal);
        Assert.Contains("<html>upstream error</html>", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AChallengeWithoutANonceIsMalformed()
    {
        using var handler = new FixedAnswer(HttpStatusCode.OK, "{\"extra-params\":\"\"}", setCookie: true);
        using var client = new KbsClient(s_broker, handler, disposeHandler: false);
        using KbsTeeSession tee = KbsTestTees.SnpSession();

        var error = await Assert.ThrowsAsync<KbsException>(() => client.AttestAsync(tee));

        Assert.Equal(KbsFailure.MalformedResponse, error.Reason);
        Assert.Contains("'nonce'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheRequestAndAttestationHaveTheProtocolsShape()
    {
        using var recorder = new RecordingHandler(_broker);
        using var client = new KbsClient(s_broker, recorder, disposeHandler: false);
        using KbsTeeSession tee = KbsTestTees.SnpSession();

        await client.AttestAsync(tee);

        JsonObject request = (JsonObject)JsonNode.Parse(recorder.Bodies[0])!;
        Assert.Equal("0.4.0", (string?)request["version"]);
        Assert.Equal("snp", (string?)request["tee"]);
        Assert.Equal("[\"sha256\",\"sha384\",\"sha512\"]", request["extra-params"]!["supported-hash-algorithms"]!.ToJsonString());
        JsonObject attestation = (JsonObject)JsonNode.Parse(recorder.Bodies[1])!;
        Assert.Equal(["runtime-data", "tee-evidence"], attestation.Select(m => m.Key).Order());
        Assert.Equal(["nonce", "tee-pubkey"], ((JsonObject)attestation["runtime-data"]!).Select(m => m.Key).Order());
        Assert.Equal(string.Empty, (string?)attestation["tee-evidence"]!["additional_evidence"]);
        Assert.Equal(["attestation_report", "cert_chain"], ((JsonObject)attestation["tee-evidence"]!["primary_evidence"]!).Select(m => m.Key).Order());
        Assert.False(recorder.CookieSent[0]);
        Assert.True(recorder.CookieSent[1]);
    }

    private KbsClient Client() => new(s_broker, _broker, disposeHandler: false);

    private sealed class FixedAnswer(HttpStatusCode status, string body, bool setCookie = false) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = new HttpResponseMessage(status) { Content = new StringContent(body) };
            if (setCookie)
            {
                response.Headers.Add("Set-Cookie", "kbs-session-id=abc; Path=/");
            }

            return Task.FromResult(response);
        }
    }

    private sealed class RecordingHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        public List<string> Bodies { get; } = [];

        public List<bool> CookieSent { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Bodies.Add(request.Content is null ? string.Empty : await request.Content.ReadAsStringAsync(cancellationToken));
            CookieSent.Add(request.Headers.Contains("Cookie"));
            return await base.SendAsync(request, cancellationToken);
        }
    }
}
