// Expect: EG3002 at line 21
// a secret a release service sent over attested TLS is returned, from a body that names no other secret
using System;
using System.IO;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Tasks;
using EnclaveGen;

namespace RealWorld;

[Enclave]
public partial class Provisioned
{
    [Trusted]
    public async Task<int> FetchAsync(int connection, byte[] serviceCertificate)
    {
        using X509Certificate2 service = X509CertificateLoader.LoadCertificate(serviceCertificate);
        byte[] key = await EnclaveSecretRelease.RequestAsync(
            new Uri("https://owner.example/secrets/key"),
            new HostRelayStream(max => Receive(connection, max), records => Send(connection, records)), service);
        return key[0]; // <- EG3002
    }

    [Untrusted] private static partial Task<byte[]> Receive(int connection, int maxBytes);
    [Untrusted] private static partial Task Send(int connection, byte[] records);
}

partial class Provisioned
{
    private static partial Task<byte[]> Receive(int connection, int maxBytes) => Task.FromResult(Array.Empty<byte>());
    private static partial Task Send(int connection, byte[] records) => Task.CompletedTask;
}
