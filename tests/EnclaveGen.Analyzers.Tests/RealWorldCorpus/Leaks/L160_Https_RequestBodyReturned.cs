// Expect: EG3002 at line 24
// a request body TLS decrypted inside, read with EnclaveHttp, reaches an ECALL's result through a helper with no [Secret] in sight
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
    public async Task<long> ServeAsync(int connection)
    {
        X509Certificate2 certificate = _certificate ?? throw new InvalidOperationException("no certificate");
        await using SslStream tls = await EnclaveHttp.AcceptTlsAsync(new HostRelayStream(max => Receive(connection, max), records => Send(connection, records)), certificate);
        EnclaveHttpRequest request = await EnclaveHttp.ReadRequestAsync(tls, 64);
        return FirstValue(request); // <- EG3002
    }

    private static long FirstValue(EnclaveHttpRequest request) => BinaryPrimitives.ReadInt64LittleEndian(request.Body);

    [Untrusted] private static partial Task<byte[]> Receive(int connection, int maxBytes);
    [Untrusted] private static partial Task Send(int connection, byte[] records);
}

partial class Endpoint
{
    private static partial Task<byte[]> Receive(int connection, int maxBytes) => Task.FromResult(Array.Empty<byte>());
    private static partial Task Send(int connection, byte[] records) => Task.CompletedTask;
}
