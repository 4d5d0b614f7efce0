using System.Net;
using System.Net.Sockets;
using EnclaveGen.AspNetCore;

namespace EnclaveGen.Hosting.Tests.Relay;

/// <summary>The relay server of its own: each accepted connection's raw bytes reach the callback (no TLS, no HTTP in Kestrel), its address says https, and disposing it stops listening.</summary>
public sealed class EnclaveRelayServerTests
{
    [Fact]
    public async Task EachConnectionsRawBytesReachTheCallbackAndItsAnswerGoesBack()
    {
        int served = 0;
        int port;
        await using (EnclaveRelayServer server = await EnclaveRelayServer.StartAsync(new IPEndPoint(IPAddress.Loopback, 0), async (connection, _) =>
        {
            byte[] received = new byte[5];
            await connection.ReadExactlyAsync(received);
            Array.Reverse(received);
            await connection.WriteAsync(received);
            Interlocked.Increment(ref served);
        }))
        {
            Assert.Equal("https", server.Address.Scheme);
            Assert.Equal("127.0.0.1", server.Address.Host);
            port = server.Address.Port;

            // Bytes that are not TLS or HTTP: Kestrel passes them on untouched.
            using TcpClient client = new();
            await client.ConnectAsync(IPAddress.Loopback, port);
            NetworkStream stream = client.GetStream();
            await stream.WriteAsync(new byte[] { 22, 3, 1, 0, 0xFF });
            byte[] answer = new byte[5];
            await stream.ReadExactlyAsync(answer);

            Assert.Equal(new byte[] { 0xFF, 0, 1, 3, 22 }, answer);
            Assert.Equal(0, await stream.ReadAsync(new byte[1]));   // the connection closes when the callback returns
        }

        Assert.Equal(1, served);
        using TcpClient late = new();
        await Assert.ThrowsAsync<SocketException>(() => late.ConnectAsync(IPAddress.Loopback, port));
    }
}
