using System.Security.Authentication;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace EnclaveGen.AspNetCore;

/// <summary>Kestrel's HTTPS settings for a secret release service (<see cref="SecretReleaseEndpointRouteBuilderExtensions.MapSecretRelease"/>).</summary>
public static class SecretReleaseHttpsOptionsExtensions
{
    /// <summary>
    /// TLS 1.3 only; asks every client for a certificate in the handshake, and accepts any certificate
    /// there, because an RA-TLS certificate is self-signed and trust comes from its evidence, which the
    /// endpoint checks. A client without one still connects and gets a 403 with the reason, rather than
    /// a handshake failure that says nothing.
    /// </summary>
    /// <param name="options">The listener's HTTPS options (<c>listenOptions.UseHttps(certificate, https => https.AllowAttestedClientCertificates())</c>).</param>
    /// <returns>The same options.</returns>
    public static HttpsConnectionAdapterOptions AllowAttestedClientCertificates(this HttpsConnectionAdapterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.SslProtocols = SslProtocols.Tls13;
        options.ClientCertificateMode = ClientCertificateMode.AllowCertificate;
        options.AllowAnyClientCertificate();
        return options;
    }
}
