using System.Diagnostics.CodeAnalysis;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using EnclaveGen.Attestation.SecretRelease;
using EnclaveGen.Attestation.Tls;
using EnclaveGen.Attestation.Verification;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EnclaveGen.AspNetCore;

/// <summary>
/// Secret provisioning, the service's side: an endpoint that releases a secret only to an enclave
/// whose RA-TLS client certificate carries evidence that meets the service's policy (the pattern of
/// Gramine's secret provisioning). The enclave fetches it with <c>EnclaveSecretRelease.RequestAsync</c>. The service is a relying party:
/// it needs EnclaveGen.Attestation and ASP.NET Core, never the enclave runtime.
/// </summary>
/// <remarks>
/// <para>Kestrel must ask for client certificates and leave their verification to this endpoint:
/// <see cref="SecretReleaseHttpsOptionsExtensions.AllowAttestedClientCertificates"/>. The handshake's
/// CertificateVerify proves the client holds the certificate's key; the endpoint checks that the
/// evidence binds that key and meets the policy (<see cref="AttestedTls.Verify"/>), so the secret goes
/// out only on a TLS connection whose other end is the attested enclave.</para>
/// <para>Answers: 200 <c>application/octet-stream</c> with the secret; 403 <c>application/json</c>
/// <c>{"reason","check","detail"}</c> naming the <see cref="AttestedTlsFailure"/> when the enclave is
/// refused (no client certificate, evidence invalid or not binding the key, policy refused, not TLS
/// 1.3). A refused request never reaches the secret's factory.</para>
/// </remarks>
public static class SecretReleaseEndpointRouteBuilderExtensions
{
    /// <summary>Maps <c>GET <paramref name="pattern"/></c> to release a secret to attested enclaves.</summary>
    /// <param name="endpoints">The app's endpoints.</param>
    /// <param name="pattern">The route, for example <c>/secrets/model</c>.</param>
    /// <param name="policy">What the enclave's evidence must meet; its <see cref="AttestationPolicy.ReportData"/> must be unset (the certificate binds it).</param>
    /// <param name="verifier">The trust anchors; null trusts the real Intel and AMD roots only.</param>
    /// <param name="releaseSecret">Returns the secret for a verified enclave (its claims and evidence); called only after every check passed.</param>
    /// <returns>The endpoint's builder, for conventions (authorization, rate limits, names).</returns>
    public static IEndpointConventionBuilder MapSecretRelease(
        this IEndpointRouteBuilder endpoints,
        [StringSyntax("Route")] string pattern,
        AttestationPolicy policy,
        AttestationVerifier? verifier,
        Func<AttestedTlsPeer, CancellationToken, ValueTask<byte[]>> releaseSecret)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrEmpty(pattern);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(releaseSecret);
        if (policy.ReportData is not null)
        {
            throw new ArgumentException("Secret release binds the report data to the enclave's certificate key itself; leave the policy's ReportData unset.", nameof(policy));
        }

        return endpoints.MapGet(pattern, (HttpContext context) => ReleaseAsync(context, policy, verifier, releaseSecret));
    }

    private static async Task ReleaseAsync(HttpContext context, AttestationPolicy policy, AttestationVerifier? verifier, Func<AttestedTlsPeer, CancellationToken, ValueTask<byte[]>> releaseSecret)
    {
        ILogger logger = context.RequestServices.GetService<ILoggerFactory>()?.CreateLogger(SecretReleaseLog.Category) ?? NullLogger.Instance;
        string from = context.Connection.RemoteIpAddress?.ToString() ?? "an unknown address";
        AttestedTlsPeer peer;
        try
        {
            peer = await VerifyAsync(context, policy, verifier);
        }
        catch (AttestedTlsException refusal)
        {
            SecretReleaseLog.SecretRefused(logger, context.Request.Path.ToString(), from, refusal.Reason, refusal.Message);
            byte[] body = SecretReleaseRefusal.Write(refusal);
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            context.Response.ContentType = SecretReleaseRefusal.ContentType;
            context.Response.ContentLength = body.Length;
            await context.Response.Body.WriteAsync(body, context.RequestAborted);
            return;
        }

        byte[] secret = await releaseSecret(peer, context.RequestAborted);
        SecretReleaseLog.SecretReleased(logger, context.Request.Path.ToString(), from, Convert.ToHexStringLower(peer.Claims.UniqueId.Span), secret.Length);
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/octet-stream";
        context.Response.Headers.CacheControl = "no-store";
        context.Response.ContentLength = secret.Length;
        await context.Response.Body.WriteAsync(secret, context.RequestAborted);
    }

    private static async Task<AttestedTlsPeer> VerifyAsync(HttpContext context, AttestationPolicy policy, AttestationVerifier? verifier)
    {
        SslProtocols protocol = context.Features.Get<ITlsHandshakeFeature>()?.Protocol ?? SslProtocols.None;
        if (!context.Request.IsHttps || protocol != SslProtocols.Tls13)
        {
            throw new AttestedTlsException(AttestedTlsFailure.ProtocolRefused, $"the request came over {(context.Request.IsHttps ? protocol.ToString() : "plain HTTP")}; secret release answers over TLS 1.3 only. Serve this endpoint with HTTPS and AllowAttestedClientCertificates().");
        }

        X509Certificate2? certificate = await context.Connection.GetClientCertificateAsync(context.RequestAborted);
        if (certificate is null)
        {
            throw new AttestedTlsException(AttestedTlsFailure.NoEvidence, "the client sent no certificate; a secret is released only to an enclave presenting an RA-TLS client certificate (EnclaveSecretRelease.RequestAsync does).");
        }

        return AttestedTls.Verify(certificate, policy, verifier);
    }
}
