using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace EnclaveGen.AspNetCore;

/// <summary>
/// The host's listener for an enclave that terminates TLS inside: Kestrel accepts the TCP
/// connections and hands each one's raw bytes to the enclave, doing no TLS and no HTTP of its own
/// (<c>docs/attested-tls.md</c>, "The host's listener").
/// </summary>
public static class EnclaveRelayListenOptionsExtensions
{
    /// <summary>
    /// Makes this endpoint a byte relay: every accepted connection becomes a <see cref="Stream"/> of its
    /// raw bytes, given to <paramref name="serveConnection"/> (which registers it for the enclave's
    /// receive and send OCALLs and calls the enclave's serving ECALL). The connection closes when
    /// <paramref name="serveConnection"/> completes. Do not combine with <c>UseHttps</c> on the same
    /// endpoint: TLS belongs to the enclave.
    /// </summary>
    /// <param name="listen">A Kestrel endpoint (<c>kestrel.Listen(IPAddress.Any, 8443, listen => listen.UseEnclaveRelay(...))</c>).</param>
    /// <param name="serveConnection">Serves one connection; its token fires when the client goes away.</param>
    /// <returns>The same endpoint.</returns>
    public static ListenOptions UseEnclaveRelay(this ListenOptions listen, Func<Stream, CancellationToken, Task> serveConnection)
    {
        ArgumentNullException.ThrowIfNull(listen);
        ArgumentNullException.ThrowIfNull(serveConnection);

        // A terminal connection middleware (what UseConnectionHandler builds too): Kestrel's HTTP
        // layer never sees these connections.
        listen.Use(_ => async connection =>
        {
            await using DuplexPipeStream stream = new(connection.Transport);
            await serveConnection(stream, connection.ConnectionClosed);
        });
        return listen;
    }

    /// <summary>A connection's pipes as one stream: reads from its input, writes (and flushes) to its output.</summary>
    private sealed class DuplexPipeStream(IDuplexPipe transport) : Stream
    {
        private readonly Stream _input = transport.Input.AsStream(leaveOpen: true);
        private readonly Stream _output = transport.Output.AsStream(leaveOpen: true);

        public override bool CanRead => true;

        public override bool CanWrite => true;

        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException("A connection has no length.");

        public override long Position
        {
            get => throw new NotSupportedException("A connection has no position.");
            set => throw new NotSupportedException("A connection has no position.");
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => _input.ReadAsync(buffer, cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => _input.ReadAsync(buffer, offset, count, cancellationToken);

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await _output.WriteAsync(buffer, cancellationToken);
            await _output.FlushAsync(cancellationToken);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override Task FlushAsync(CancellationToken cancellationToken) => _output.FlushAsync(cancellationToken);

        public override void Flush() => throw SyncNotSupported();

        public override int Read(byte[] buffer, int offset, int count) => throw SyncNotSupported();

        public override void Write(byte[] buffer, int offset, int count) => throw SyncNotSupported();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException("A connection cannot seek.");

        public override void SetLength(long value) => throw new NotSupportedException("A connection has no length.");

        public override async ValueTask DisposeAsync()
        {
            await _input.DisposeAsync();
            await _output.DisposeAsync();
            await base.DisposeAsync();
        }

        private static NotSupportedException SyncNotSupported() => new("A relayed connection is asynchronous only: use ReadAsync and WriteAsync.");
    }
}
