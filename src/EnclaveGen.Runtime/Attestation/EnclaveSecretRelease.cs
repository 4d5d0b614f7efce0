using System.Net;
using System.Net.Http;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EnclaveGen.Attestation;
using EnclaveGen.Attestation.SecretRelease;
using EnclaveGen.Attestation.Tls;

namespace EnclaveGen;

/// <summary>
/// Secret provisioning for trusted code: fetches a secret from a secret release service (an ASP.NET
/// Core endpoint mapped with <c>MapSecretRelease</c> in EnclaveGen.Hosting) over attested TLS that
/// terminates inside the enclave. The enclave is the TLS client and presents an RA-TLS client
/// certificate made inside (<c>docs/attested-tls.md</c>, "Secret release").
/// </summary>
/// <remarks>
/// The enclave has no network: the host opens the TCP connection and relays its bytes
/// (<see cref="HostRelayStream"/>). The enclave trusts the service by its public key, which trusted
/// code names (pinned); any other server certificate, a host's own included, ends the handshake
/// before the enclave sends its request.
/// </remarks>
public static class EnclaveSecretRelease
{
    /// <summary>The largest secret accepted (a model, a key, a small file).</summary>
    public const int MaxSecretBytes = 16 * 1024 * 1024;

    /// <summary>Asks the service at <paramref name="address"/> for its secret over <paramref name="connection"/>.</summary>
    /// <param name="address">The release endpoint's HTTPS address (its host name goes into SNI and the Host header only: the connection is already open).</param>
    /// <param name="connection">The relayed connection to the service, usually a <see cref="HostRelayStream"/>; it is disposed with the exchange.</param>
    /// <param name="service">The service's certificate as trusted code knows it: the server must hold its public key.</param>
    /// <param name="cancellationToken">Cancels the exchange.</param>
    /// <returns>The secret.</returns>
    /// <exception cref="SecretReleaseException">The service refused this enclave (with its reason), was not the pinned service, or answered outside the protocol.</exception>
    /// <exception cref="EnclaveCallContextException">Called outside a [Trusted] method.</exception>
    public static async Task<byte[]> RequestAsync(Uri address, Stream connection, X509Certificate2 service, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(service);
        if (address.Scheme != Uri.UriSchemeHttps)
        {
            throw new ArgumentException($"The secret release address '{address}' is not https: the secret must travel inside attested TLS.", nameof(address));
        }

        using X509Certificate2 certificate = EnclaveTlsCertificate.Create(client: true);
        byte[] pinned = service.PublicKey.ExportSubjectPublicKeyInfo();
        string? untrusted = null;
        int connections = 0;
        using SocketsHttpHandler handler = new()
        {
            UseProxy = false,
            UseCookies = false,
            AllowAutoRedirect = false,
            // The one relayed connection; HttpClient never opens a socket of its own here.
            ConnectCallback = (_, _) => Interlocked.Increment(ref connections) == 1
                ? ValueTask.FromResult(connection)
                : throw new IOException("The secret release exchange needs a second connection; the host relays one per request."),
            SslOptions = new SslClientAuthenticationOptions
            {
                EnabledSslProtocols = SslProtocols.Tls13,
                ClientCertificates = [certificate],
                RemoteCertificateValidationCallback = (_, presented, _, _) =>
                {
                    if (presented is not null && CryptographicOperations.FixedTimeEquals(PublicKeyOf(presented), pinned))
                    {
                        return true;
                    }

                    untrusted = presented is null ? "sent no certificate" : $"presented '{presented.Subject}', whose public key is not the pinned service's";
                    return false;
                },
            },
        };
        using HttpClient http = new(handler, disposeHandler: false) { MaxResponseContentBufferSize = MaxSecretBytes };
        using HttpRequestMessage request = new(HttpMethod.Get, address) { Version = HttpVersion.Version11, VersionPolicy = HttpVersionPolicy.RequestVersionExact };

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e) when (untrusted is not null)
        {
            throw new SecretReleaseException(SecretReleaseFailure.ServiceNotTrusted, reason: null, $"the server at {address.Authority} {untrusted}; nothing was requested. Check the address and the service certificate the enclave trusts.", e);
        }
        catch (HttpRequestException e)
        {
            throw new SecretReleaseException(SecretReleaseFailure.ServiceFailed, reason: null, $"the exchange with {address.Authority} failed: {ErrorText.Message(e)}", e);
        }

        using (response)
        {
            byte[] body;
            try
            {
                body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException e)
            {
                throw new SecretReleaseException(SecretReleaseFailure.ServiceFailed, reason: null, $"the answer from {address.Authority} could not be read (at most {MaxSecretBytes} bytes are accepted): {ErrorText.Message(e)}", e);
            }

            if (response.StatusCode == HttpStatusCode.OK)
            {
                return body;
            }

            if (response.StatusCode == HttpStatusCode.Forbidden && SecretReleaseRefusal.Read(body) is { } refusal)
            {
                throw new SecretReleaseException(SecretReleaseFailure.Refused, refusal.Reason, $"the service refused this enclave ({refusal.Reason}): {refusal.Detail}");
            }

            throw new SecretReleaseException(SecretReleaseFailure.ServiceFailed, reason: null, $"the service answered HTTP {(int)response.StatusCode}; expected 200 with the secret, or 403 with a refusal. Check that {address.AbsolutePath} is a MapSecretRelease endpoint.");
        }
    }

    private static byte[] PublicKeyOf(X509Certificate certificate)
    {
        if (certificate is X509Certificate2 loaded)
        {
            return loaded.PublicKey.ExportSubjectPublicKeyInfo();
        }

        using X509Certificate2 copy = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return copy.PublicKey.ExportSubjectPublicKeyInfo();
    }
}
