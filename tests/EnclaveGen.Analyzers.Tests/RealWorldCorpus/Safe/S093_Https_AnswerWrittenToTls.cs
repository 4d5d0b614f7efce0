// Expect: none
// a request body TLS decrypted inside is used, and its result goes back only inside the TLS session; the ECALL returns a status
using System;
using System.Buffers.Binary;
using System.IO;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Tasks;
using EnclaveGen;

namespace RealWorld;

[Enclave]
public partial class Endpoint
{
    private X509Certificate2? _certificate;

    [Trusted]
    public async Task<int> ServeAsync(int connection)
    {
        X509Certificate2 certificate = _certificate ?? throw new InvalidOperationException("no certificate");
        await using SslStream tls = await EnclaveHttp.AcceptTlsAsync(new HostRelayStream(max => Receive(connection, max), records => Send(connection, records)), certificate);
        EnclaveHttpRequest request = await EnclaveHttp.ReadRequestAsync(tls, 64);
        if (request.Method != "POST")
        {
            return 404;
        }

        byte[] answer = new byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(answer, BinaryPrimitives.ReadInt64LittleEndian(request.Body) * 2);
        await EnclaveHttp.WriteResponseAsync(tls, 200, "OK", "application/octet-stream", answer);
        return 200;
    }

    [Untrusted] private static partial Task<byte[]> Receive(int connection, int maxBytes);
    [Untrusted] private static partial Task Send(int connection, byte[] records);
}

partial class Endpoint
{
    private static partial Task<byte[]> Receive(int connection, int maxBytes) => Task.FromResult(Array.Empty<byte>());
    private static partial Task Send(int connection, byte[] records) => Task.CompletedTask;
}
