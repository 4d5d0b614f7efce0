using System.Buffers.Binary;
using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using EnclaveGen.Attestation;
using EnclaveGen.Attestation.Formats;
using EnclaveGen.Attestation.Kbs;
using EnclaveGen.Attestation.Verification;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Parameters;

namespace EnclaveGen.Tests;

/// <summary>
/// An in-memory Trustee KBS, built from the published protocol (confidential-containers/trustee at
/// 78962cd4, kbs/docs/kbs_attestation_protocol.md and kbs/docs/kbs.yaml) and checked against Trustee's own handlers (kbs/src/attestation/backend.rs,
/// session.rs, kbs/src/jwe/mod.rs, kbs/src/error.rs): the version must be 0.4.0; /auth answers a
/// 32-byte base64 nonce and a kbs-session-id cookie; /attest needs the cookie of a live session,
/// the session's nonce, evidence that the verifier accepts under the policy, and report data equal to
/// the hash of the canonical {"tee-pubkey", "nonce", "additional-evidence"} (recomputed here); it
/// answers an ES256 token carrying tee-pubkey; an attested session asking /attest again gets the old
/// token; resources are wrapped (ECDH-ES+A256KW, A256GCM) to the tee-pubkey read back from that
/// token. Errors are problem JSON with Trustee's types; 401 except the documented 404s.
/// Nothing here calls the client library's message code: it reads the raw JSON itself, and wraps with
/// its own KDF, so a bug on one side cannot hide in the other (only the RFC 8785 canonicalizer is shared).
/// </summary>
internal sealed partial class FakeTrusteeBroker(AttestationVerifier verifier, AttestationPolicy policy) : HttpMessageHandler
{
    private const string ProblemPrefix = "https://github.com/confidential-containers/kbs/errors/";
    private readonly Dictionary<string, Session> _sessions = [];
    private readonly ECDsa _tokenKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public Dictionary<string, byte[]> Resources { get; } = [];

    /// <summary>The broker's clock: sessions expire against it.</summary>
    public DateTimeOffset Now { get; set; } = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>Trustee's default session timeout is 5 minutes.</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The version the broker accepts (Trustee: exactly its own).</summary>
    public string AcceptedVersion { get; set; } = "0.4.0";

    /// <summary>The challenge's extra-params.selected-hash-algorithm; null sends Trustee's generic "" (the client then uses sha384).</summary>
    public string? SelectedHashAlgorithm { get; set; }

    /// <summary>
    /// The reference value the broker's policy wants per TEE type: what the evidence lets it see, the
    /// quote's MRENCLAVE (sgx), the VM's MEASUREMENT (snp) or MRTD (tdx) in Trustee's layout, the
    /// enclave's MRENCLAVE from the bound report body in EnclaveGen's. A TEE type not listed accepts any.
    /// </summary>
    public Dictionary<string, byte[]> ExpectedIdentity { get; } = [];

    /// <summary>The evidence layout this broker reads: Trustee's (a stock Trustee) or EnclaveGen's (a broker extended with EnclaveGen's verifier).</summary>
    public KbsEvidenceLayout Layout { get; set; } = KbsEvidenceLayout.Trustee;

    /// <summary>Why the last /attest was refused, or null when it was not.</summary>
    public FakeTrusteeRefusal? LastRefusal { get; private set; }

    /// <summary>Whether /auth sets the cookie.</summary>
    public bool SetsCookie { get; set; } = true;

    /// <summary>Rewrites the JWE text before it is sent (malformed-response tests).</summary>
    public Func<string, string>? RewriteResource { get; set; }

    public int AuthRequests { get; private set; }

    public int AttestRequests { get; private set; }

    /// <summary>Every /attest body received, in order (replay tests resend one).</summary>
    public List<string> AttestationBodies { get; } = [];

    /// <summary>The tee-pubkey of each token issued.</summary>
    public List<JsonObject> IssuedKeys { get; } = [];

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        string path = request.RequestUri!.AbsolutePath; // a request always has its URI here: HttpClient resolved it.
        string body = request.Content is null ? string.Empty : await request.Content.ReadAsStringAsync(cancellationToken);
        return (request.Method.Method, path) switch
        {
            ("POST", "/kbs/v0/auth") => Auth(body),
            ("POST", "/kbs/v0/attest") => Attest(request, body),
            ("GET", _) when path.StartsWith("/kbs/v0/resource/", StringComparison.Ordinal) => Resource(request, path["/kbs/v0/resource/".Length..]),
            _ => Problem(HttpStatusCode.NotFound, "InvalidRequestPath", $"Request path {path} is invalid"),
        };
    }

    private HttpResponseMessage Auth(string body)
    {
        AuthRequests++;
        JsonObject? request = JsonNode.Parse(body) as JsonObject;
        string? version = (string?)request?["version"];
        string? tee = (string?)request?["tee"];
        if (version is null || tee is null)
        {
            return Problem(HttpStatusCode.Unauthorized, "AttestationError", "Attestation error: RCAR handshake Auth failed: deserialize Request");
        }

        if (version != AcceptedVersion)
        {
            return Problem(HttpStatusCode.Unauthorized, "AttestationError", $"Attestation error: RCAR handshake Auth failed: KBS Client Protocol Version Mismatch: expect ={AcceptedVersion} while the request is {version}");
        }

        string id = Guid.NewGuid().ToString("N");
        string nonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        _sessions[id] = new Session(tee, nonce, Now + SessionLifetime);
        JsonNode extra = SelectedHashAlgorithm is null ? JsonValue.Create(string.Empty) : new JsonObject { ["selected-hash-algorithm"] = SelectedHashAlgorithm };
        var response = Json(new JsonObject { ["nonce"] = nonce, ["extra-params"] = extra });
        if (SetsCookie)
        {
            response.Headers.Add("Set-Cookie", $"kbs-session-id={id}; Expires={(Now + SessionLifetime).UtcDateTime:R}");
        }

        return response;
    }

    private HttpResponseMessage Attest(HttpRequestMessage request, string body)
    {
        AttestRequests++;
        AttestationBodies.Add(body);
        const string Failed = "Attestation error: RCAR handshake Attest failed: ";
        if (SessionOf(request) is not { } id)
        {
            return Problem(HttpStatusCode.Unauthorized, "AttestationError", Failed + "cookie not found");
        }

        if (!_sessions.TryGetValue(id, out Session? session))
        {
            return Problem(HttpStatusCode.Unauthorized, "AttestationError", Failed + "session not found");
        }

        if (session.Expires < Now)
        {
            _sessions.Remove(id);
            return Problem(HttpStatusCode.Unauthorized, "AttestationError", Failed + "session expired.");
        }

        if (session.Token is not null)
        {
            return Json(new JsonObject { ["token"] = session.Token }); // Trustee: already attested, the old token
        }

        JsonObject? attestation = JsonNode.Parse(body) as JsonObject;
        if (attestation?["runtime-data"] is not JsonObject runtime || runtime["tee-pubkey"] is not JsonObject key
            || attestation["tee-evidence"] is not JsonObject evidence || evidence["additional_evidence"] is not JsonValue additional)
        {
            return Problem(HttpStatusCode.Unauthorized, "AttestationError", Failed + "deserialize Attestation");
        }

        if ((string?)runtime["nonce"] != session.Nonce)
        {
            LastRefusal = FakeTrusteeRefusal.NonceMismatch;
            return Problem(HttpStatusCode.Unauthorized, "AttestationError", Failed + "the nonce in the handshake session is different from the client side in KBS protocol's Attestation message");
        }

        // What Trustee's KBS hands its attestation service as the primary evidence's runtime data.
        var runtimeData = new JsonObject { ["tee-pubkey"] = key.DeepClone(), ["nonce"] = session.Nonce, ["additional-evidence"] = additional.DeepClone() };
        byte[] canonical = JsonCanonicalizer.Canonicalize(runtimeData);
        byte[] digest = (SelectedHashAlgorithm ?? "sha384") switch
        {
            "sha256" => SHA256.HashData(canonical),
            "sha512" => SHA512.HashData(canonical),
            _ => SHA384.HashData(canonical),
        };
        byte[] expected = new byte[64];
        digest.CopyTo(expected, 0); // Trustee's regularize_data: pad to 64 bytes with zeros

        LastRefusal = null;
        (FakeTrusteeRefusal Reason, string Detail)? refusal = Layout == KbsEvidenceLayout.Trustee
            ? VerifyTrusteeLayout(session.Tee, evidence["primary_evidence"], expected)
            : VerifyEnclaveGenLayout(session.Tee, evidence["primary_evidence"], expected);
        if (refusal is { } refused)
        {
            LastRefusal = refused.Reason;
            return Problem(HttpStatusCode.Unauthorized, "AttestationError", Failed + "verify TEE evidence failed: " + refused.Detail);
        }

        session.Token = Token(key);
        IssuedKeys.Add((JsonObject)key.DeepClone());
        return Json(new JsonObject { ["token"] = session.Token });
    }

    private HttpResponseMessage Resource(HttpRequestMessage request, string resourcePath)
    {
        if (SessionOf(request) is not { } id || !_sessions.TryGetValue(id, out Session? session) || session.Expires < Now || session.Token is null)
        {
            return Problem(HttpStatusCode.Unauthorized, "TokenNotFound", "Attestation Token not found");
        }

        if (!Resources.TryGetValue(Uri.UnescapeDataString(resourcePath), out byte[]? resource))
        {
            return Problem(HttpStatusCode.NotFound, "InvalidRequestPath", $"Request path /kbs/v0/resource/{resourcePath} is invalid");
        }

        string jwe = Wrap(TeePublicKeyOf(session.Token), resource).ToJsonString();
        return Json(JsonNode.Parse(RewriteResource?.Invoke(jwe) ?? jwe)!); // the rewrite hook returns JSON text
    }

    /// <summary>The tee-pubkey claim of a token this broker signed (as Trustee reads it from the verified token).</summary>
    private JsonObject TeePublicKeyOf(string token)
    {
        string[] parts = token.Split('.');
        byte[] signature = Base64Url.DecodeFromChars(parts[2]);
        Assert.True(_tokenKey.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), signature, HashAlgorithmName.SHA256));
        return (JsonObject)JsonNode.Parse(Base64Url.DecodeFromChars(parts[1]))!["tee-pubkey"]!;
    }

    /// <summary>ECDH-ES+A256KW and A256GCM as trustee kbs/src/jwe/mod.rs makes them (P-256).</summary>
    public static JsonObject Wrap(JsonObject teeKey, byte[] payload)
    {
        Assert.Equal("ECDH-ES+A256KW", (string?)teeKey["alg"]);
        using var recipient = ECDiffieHellman.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = Base64Url.DecodeFromChars((string)teeKey["x"]!), Y = Base64Url.DecodeFromChars((string)teeKey["y"]!) },
        });
        using var ephemeral = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        byte[] z = ephemeral.DeriveRawSecretAgreement(recipient.PublicKey);

        // Concat KDF, one SHA-256 round: counter || Z || len||"ECDH-ES+A256KW" || len(apu)=0 || len(apv)=0 || 256
        byte[] algorithm = "ECDH-ES+A256KW"u8.ToArray();
        byte[] kdfInput = [.. BigEndian(1), .. z, .. BigEndian(algorithm.Length), .. algorithm, .. BigEndian(0), .. BigEndian(0), .. BigEndian(256)];
        byte[] kek = SHA256.HashData(kdfInput);
        byte[] cek = RandomNumberGenerator.GetBytes(32);
        var wrap = new AesWrapEngine();
        wrap.Init(true, new KeyParameter(kek));
        byte[] encryptedKey = wrap.Wrap(cek, 0, cek.Length);

        ECParameters epk = ephemeral.ExportParameters(false);
        string header = $"{{\"alg\":\"ECDH-ES+A256KW\",\"enc\":\"A256GCM\",\"epk\":{{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"{Base64Url.EncodeToString(epk.Q.X)}\",\"y\":\"{Base64Url.EncodeToString(epk.Q.Y)}\"}}}}";
        string protectedHeader = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(header));
        byte[] iv = RandomNumberGenerator.GetBytes(12);
        byte[] ciphertext = new byte[payload.Length];
        byte[] tag = new byte[16];
        using (var gcm = new AesGcm(cek, 16))
        {
            gcm.Encrypt(iv, payload, ciphertext, tag, Encoding.ASCII.GetBytes(protectedHeader));
        }

        return new JsonObject
        {
            ["protected"] = protectedHeader,
            ["encrypted_key"] = Base64Url.EncodeToString(encryptedKey),
            ["iv"] = Base64Url.EncodeToString(iv),
            ["ciphertext"] = Base64Url.EncodeToString(ciphertext),
            ["tag"] = Base64Url.EncodeToString(tag),
        };
    }

    private static byte[] BigEndian(int value)
    {
        byte[] bytes = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(bytes, value);
        return bytes;
    }

    private string Token(JsonObject teeKey)
    {
        string header = Base64Url.EncodeToString("{\"alg\":\"ES256\",\"typ\":\"JWT\"}"u8);
        var claims = new JsonObject
        {
            ["exp"] = (Now + SessionLifetime).ToUnixTimeSeconds(),
            ["iat"] = Now.ToUnixTimeSeconds(),
            ["iss"] = "fake-trustee",
            ["tee-pubkey"] = teeKey.DeepClone(),
        };
        string payload = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(claims.ToJsonString()));
        byte[] signature = _tokenKey.SignData(Encoding.ASCII.GetBytes(header + "." + payload), HashAlgorithmName.SHA256);
        return $"{header}.{payload}.{Base64Url.EncodeToString(signature)}";
    }

    private static string? SessionOf(HttpRequestMessage request)
    {
        if (!request.Headers.TryGetValues("Cookie", out IEnumerable<string>? cookies))
        {
            return null;
        }

        return cookies.SelectMany(c => c.Split(';')).Select(c => c.Trim())
            .Where(c => c.StartsWith("kbs-session-id=", StringComparison.Ordinal))
            .Select(c => c["kbs-session-id=".Length..]).FirstOrDefault();
    }

    private static HttpResponseMessage Json(JsonNode body) => new(HttpStatusCode.OK)
    {
        Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
    };

    private static HttpResponseMessage Problem(HttpStatusCode status, string type, string detail) => new(status)
    {
        Content = new StringContent(new JsonObject { ["type"] = ProblemPrefix + type, ["detail"] = detail }.ToJsonString(), Encoding.UTF8, "application/json"),
    };

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _tokenKey.Dispose();
        }

        base.Dispose(disposing);
    }

    private sealed class Session(string tee, string nonce, DateTimeOffset expires)
    {
        public string Tee { get; } = tee;

        public string Nonce { get; } = nonce;

        public DateTimeOffset Expires { get; } = expires;

        public string? Token { get; set; }
    }
}
