using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EnclaveGen;
using EnclaveGen.Attestation.SecretRelease;

namespace EnclaveGen.Hosting.Tests.Enclaves;

/// <summary>
/// An enclave that fetches a secret from a secret release service: TLS (with its RA-TLS client
/// certificate) runs here, over bytes the host relays with two OCALLs.
/// </summary>
[Enclave]
public partial class SecretRecipient
{
    private byte[] _secret = [];

    /// <summary>Fetches the secret over the host's connection; returns "released" or the failure and the service's reason.</summary>
    [Trusted]
    public async Task<string> FetchAsync(int connection, string address, byte[] serviceCertificate)
    {
        using X509Certificate2 service = X509CertificateLoader.LoadCertificate(serviceCertificate);
        HostRelayStream relay = new(max => ReceiveAsync(connection, max), records => SendAsync(connection, records));
        try
        {
            _secret = await EnclaveSecretRelease.RequestAsync(new Uri(address), relay, service);
            return "released";
        }
        catch (SecretReleaseException e)
        {
            return $"{e.Failure} {e.Reason}";
        }
    }

    /// <summary>SHA-256 of the secret held, so a test can check it arrived without the secret crossing back.</summary>
    [Trusted]
    public byte[] SecretHash() => Secrets.Declassify(SHA256.HashData(_secret), "the test checks that the secret arrived; the hash of a random 48-byte secret reveals nothing usable");

    /// <summary>A client certificate of this enclave (public part), as an attacker on the host could record it.</summary>
    [Trusted]
    public byte[] ClientCertificate()
    {
        using X509Certificate2 certificate = EnclaveGen.Attestation.Tls.RaTlsCertificateBuilder.CreateClient(reportData => EnclaveAttestation.CreateQuote(reportData));
        return certificate.RawData;
    }

    [Untrusted] private static partial Task<byte[]> ReceiveAsync(int connection, int maxBytes);

    [Untrusted] private static partial Task SendAsync(int connection, byte[] records);
}
