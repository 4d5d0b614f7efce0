using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace EnclaveGen.Attestation.Kbs;

/// <summary>
/// A client of the Trustee Key Broker Service (Confidential Containers): the request / challenge /
/// attestation / response protocol (<c>POST /kbs/v0/auth</c>, <c>POST /kbs/v0/attest</c>) and
/// resource requests (<c>GET /kbs/v0/resource/&lt;repository&gt;/&lt;type&gt;/&lt;tag&gt;</c>) in the
/// session the <c>kbs-session-id</c> cookie names. It moves messages only: the TEE key and the
/// evidence belong to an <see cref="IKbsAttester"/> (a <see cref="KbsTeeSession"/> in the TEE), and
/// resources come back still wrapped to that key (<see cref="KbsEncryptedResource"/>).
/// </summary>
/// <remarks>
/// Use HTTPS in production and pin the broker's certificate or CA in the handler given to the constructor: the
/// protocol authenticates the TEE to the broker, and only TLS authenticates the broker to the TEE.
/// One client holds one session: do not share it between concurrent callers.
/// </remarks>
public sealed class KbsClient : IDisposable
{
    /// <summary>The KBS protocol version this client speaks (Trustee's KBS accepts exactly its own, 0.4.0).</summary>
    public const string ProtocolVersion = "0.4.0";

    /// <summary>The session cookie's name.</summary>
    public const string SessionCookie = "kbs-session-id";

    /// <summary>The largest broker response read, in bytes.</summary>
    public const int MaxResponseBytes = 16 * 1024 * 1024;

    private readonly HttpClient _http;
    private readonly Uri _base;
    private string? _session;
    private IKbsAttester? _attester;

    /// <summary>Creates a client of the broker at <paramref name="brokerAddress"/> (its root: the client adds <c>kbs/v0/...</c>).</summary>
    /// <param name="brokerAddress">The broker's base address, for example <c>https://kbs.example:8080/</c>.</param>
    /// <param name="handler">The HTTP handler (TLS settings, a proxy, or an in-memory broker in tests); a <see cref="SocketsHttpHandler"/> when null.</param>
    /// <param name="disposeHandler">Whether disposing the client disposes <paramref name="handler"/>.</param>
    public KbsClient(Uri brokerAddress, HttpMessageHandler? handler = null, bool disposeHandler = true)
    {
        ArgumentNullException.ThrowIfNull(brokerAddress);
        if (!brokerAddress.IsAbsoluteUri)
        {
            throw new ArgumentException($"The broker address '{brokerAddress}' is relative; give its absolute URL, such as https://kbs.example:8080/.", nameof(brokerAddress));
        }

        _base = brokerAddress.AbsoluteUri.EndsWith('/') ? brokerAddress : new Uri(brokerAddress.AbsoluteUri + "/");
        _http = new HttpClient(handler ?? new SocketsHttpHandler { UseCookies = false }, disposeHandler) { MaxResponseContentBufferSize = MaxResponseBytes };
    }

    /// <summary>Whether a resource request answered 401 runs the handshake again once with the last attester (as Trustee's client does when its session expired). Default true.</summary>
    public bool ReattestWhenUnauthorized { get; init; } = true;

    /// <summary>The attestation token of the last successful attestation (a JWT the broker signed), or null.</summary>
    public string? Token { get; private set; }

    /// <summary>
    /// Runs the handshake: sends the Request for <paramref name="attester"/>'s TEE, has it answer the
    /// challenge, sends the Attestation, and keeps the session for resource requests.
    /// </summary>
    /// <returns>The attestation token.</returns>
    /// <exception cref="KbsException">The broker refused (<see cref="KbsFailure.AttestationRefused"/>, with its problem type and detail) or answered out of protocol.</exception>
    /// <exception cref="HttpRequestException">The broker could not be reached (or TLS refused it).</exception>
    /// <remarks>What <paramref name="attester"/> throws (an evidence provider's error, such as <c>TsmReportException</c>) propagates unchanged.</remarks>
    public async Task<string> AttestAsync(IKbsAttester attester, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(attester);
        _session = null;
        Token = null;
        var request = new JsonObject
        {
            ["version"] = ProtocolVersion,
            ["tee"] = attester.Tee,
            ["extra-params"] = new JsonObject { ["supported-hash-algorithms"] = new JsonArray("sha256", "sha384", "sha512") },
        };
        string challengeText = await SendAsync(HttpMethod.Post, "kbs/v0/auth", request.ToJsonString(), "auth", cancellationToken).ConfigureAwait(false);
        if (_session is null)
        {
            throw new KbsException(KbsFailure.MalformedResponse, $"the answer to /kbs/v0/auth set no '{SessionCookie}' cookie, which the protocol needs to match the attestation to the challenge. Check that no proxy strips Set-Cookie.");
        }

        KbsChallenge challenge = KbsChallenge.Parse(challengeText);
        KbsAttestation attestation = attester.Attest(challenge);
        string tokenText = await SendAsync(HttpMethod.Post, "kbs/v0/attest", attestation.ToJson(), "attest", cancellationToken).ConfigureAwait(false);
        Token = KbsJson.RequiredString(KbsJson.ParseObject(tokenText, "the answer to /kbs/v0/attest"), "token", "the answer to /kbs/v0/attest");
        _attester = attester;
        return Token;
    }

    /// <summary>Requests a resource in the attested session; it comes back wrapped to the TEE key.</summary>
    /// <exception cref="InvalidOperationException">No attestation ran yet.</exception>
    /// <exception cref="KbsException"><see cref="KbsFailure.Unauthorized"/>, <see cref="KbsFailure.Forbidden"/>, <see cref="KbsFailure.ResourceNotFound"/> with the broker's problem JSON; <see cref="KbsFailure.MalformedResponse"/>.</exception>
    public async Task<KbsEncryptedResource> GetResourceAsync(string repository, string type, string tag, CancellationToken cancellationToken = default)
    {
        string path = "kbs/v0/resource/" + Segment(repository, nameof(repository)) + "/" + Segment(type, nameof(type)) + "/" + Segment(tag, nameof(tag));
        if (_attester is null)
        {
            throw new InvalidOperationException("No attested session: call AttestAsync before GetResourceAsync.");
        }

        try
        {
            return KbsEncryptedResource.Parse(await SendAsync(HttpMethod.Get, path, null, "resource", cancellationToken).ConfigureAwait(false));
        }
        catch (KbsException e) when (e.Reason == KbsFailure.Unauthorized && ReattestWhenUnauthorized)
        {
            await AttestAsync(_attester, cancellationToken).ConfigureAwait(false);
            return KbsEncryptedResource.Parse(await SendAsync(HttpMethod.Get, path, null, "resource", cancellationToken).ConfigureAwait(false));
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _http.Dispose();

    private async Task<string> SendAsync(HttpMethod method, string path, string? json, string step, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(method, new Uri(_base, path));
        if (json is not null)
        {
            message.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        if (_session is not null)
        {
            message.Headers.Add("Cookie", $"{SessionCookie}={_session}");
        }

        using HttpResponseMessage response = await _http.SendAsync(message, cancellationToken).ConfigureAwait(false);
        KeepSession(response);
        string body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.OK)
        {
            return body;
        }

        throw Refusal(response.StatusCode, body, step, "/" + path);
    }

    private void KeepSession(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Set-Cookie", out IEnumerable<string>? cookies))
        {
            return;
        }

        foreach (string cookie in cookies)
        {
            string pair = cookie.Split(';', 2)[0].Trim();
            if (pair.StartsWith(SessionCookie + "=", StringComparison.Ordinal))
            {
                _session = pair[(SessionCookie.Length + 1)..];
            }
        }
    }

    private static KbsException Refusal(HttpStatusCode status, string body, string step, string path)
    {
        (string? type, string? detail) = Problem(body);
        string problem = type is null
            ? $"no problem JSON (body: {Excerpt(body)})"
            : $"problem {ShortType(type)}: {detail}";
        (KbsFailure reason, string next) = (step, status) switch
        {
            ("resource", HttpStatusCode.Unauthorized) => (KbsFailure.Unauthorized, "the session is missing or expired, or the broker's resource policy denied this TEE's attestation results; check the policy and the reference values for this TEE"),
            ("resource", HttpStatusCode.Forbidden) => (KbsFailure.Forbidden, "the broker's resource policy does not release this resource to this TEE"),
            ("resource", HttpStatusCode.NotFound) => (KbsFailure.ResourceNotFound, "check the repository/type/tag and that the resource was registered with the broker"),
            (_, HttpStatusCode.Unauthorized or HttpStatusCode.BadRequest or HttpStatusCode.NotFound) when type is not null => (KbsFailure.AttestationRefused, step == "auth"
                ? $"check that the broker speaks KBS protocol {ProtocolVersion} and knows this TEE type"
                : "the broker's attestation service refused the evidence or the session; its detail says which"),
            _ => (KbsFailure.MalformedResponse, "check that the address points at a Trustee KBS"),
        };
        return new KbsException(reason, $"{path} answered {(int)status} {status}, expected 200 OK; {problem}. Next: {next}.")
        {
            StatusCode = status,
            ProblemType = type,
            ProblemDetail = detail,
        };
    }

    private static (string? Type, string? Detail) Problem(string body)
    {
        try
        {
            if (JsonNode.Parse(body) is JsonObject problem && problem["type"] is JsonValue type && type.TryGetValue(out string? typeText))
            {
                return (typeText, problem["detail"] is JsonValue detail && detail.TryGetValue(out string? detailText) ? detailText : string.Empty);
            }
        }
        catch (System.Text.Json.JsonException)
        {
            // Not problem JSON: reported as "no problem JSON" with an excerpt.
        }

        return (null, null);
    }

    private static string ShortType(string type) => type.StartsWith("https://github.com/confidential-containers/kbs/errors/", StringComparison.Ordinal)
        ? type["https://github.com/confidential-containers/kbs/errors/".Length..]
        : type;

    private static string Excerpt(string body) => body.Length == 0 ? "empty" : body.Length <= 120 ? $"'{body}'" : $"'{body[..120]}...'";

    private static string Segment(string value, string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(value, name);
        if (value.Contains('/') || value is "." or "..")
        {
            throw new ArgumentException($"The resource {name} '{value}' must be one path segment (no '/', not '.' or '..').", name);
        }

        return Uri.EscapeDataString(value);
    }
}
