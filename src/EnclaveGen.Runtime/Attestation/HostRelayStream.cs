namespace EnclaveGen;

/// <summary>
/// A stream for trusted code whose bytes travel through the host: a read asks the host (an
/// asynchronous OCALL) for the next bytes of a connection, a write hands bytes to the host to send.
/// Wrap it in an <see cref="System.Net.Security.SslStream"/> inside the enclave and TLS terminates
/// there: the host relays only TLS records, never the plaintext (<c>docs/attested-tls.md</c>).
/// </summary>
/// <remarks>
/// The host is not trusted: a read that returns more bytes than were asked for is refused with an
/// <see cref="IOException"/>, and an empty read is the end of the stream. Only the asynchronous
/// methods work; a synchronous read would hold an enclave thread while the host waits on the network.
/// </remarks>
public sealed class HostRelayStream : Stream
{
    /// <summary>The most bytes one read asks the host for: a TLS record with its header and expansion.</summary>
    public const int MaxReadSize = 16 * 1024 + 5 + 256;

    private readonly Func<int, Task<byte[]>> _receive;
    private readonly Func<byte[], Task> _send;

    /// <summary>Creates the stream over a connection's two OCALLs.</summary>
    /// <param name="receive">Returns up to the given number of bytes the host read from the connection; empty at its end.</param>
    /// <param name="send">Hands bytes to the host to write to the connection.</param>
    public HostRelayStream(Func<int, Task<byte[]>> receive, Func<byte[], Task> send)
    {
        ArgumentNullException.ThrowIfNull(receive);
        ArgumentNullException.ThrowIfNull(send);
        _receive = receive;
        _send = send;
    }

    /// <inheritdoc />
    public override bool CanRead => true;

    /// <inheritdoc />
    public override bool CanWrite => true;

    /// <inheritdoc />
    public override bool CanSeek => false;

    /// <inheritdoc />
    public override long Length => throw new NotSupportedException("A relayed connection has no length.");

    /// <inheritdoc />
    public override long Position
    {
        get => throw new NotSupportedException("A relayed connection has no position.");
        set => throw new NotSupportedException("A relayed connection has no position.");
    }

    /// <inheritdoc />
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (buffer.IsEmpty)
        {
            return 0;
        }

        int asked = Math.Min(buffer.Length, MaxReadSize);
        byte[] received = await _receive(asked).ConfigureAwait(false)
            ?? throw new IOException("The host's receive OCALL returned null; expected the bytes read (empty at the end of the connection).");
        if (received.Length > asked)
        {
            throw new IOException($"The host's receive OCALL returned {received.Length} bytes; at most {asked} were asked for. The host is misbehaving; the connection is dropped.");
        }

        received.CopyTo(buffer);
        return received.Length;
    }

    /// <inheritdoc />
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc />
    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!buffer.IsEmpty)
        {
            await _send(buffer.ToArray()).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc />
    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public override void Flush()
    {
    }

    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count) => throw SyncNotSupported();

    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count) => throw SyncNotSupported();

    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException("A relayed connection cannot seek.");

    /// <inheritdoc />
    public override void SetLength(long value) => throw new NotSupportedException("A relayed connection has no length.");

    private static NotSupportedException SyncNotSupported() =>
        new("HostRelayStream is asynchronous only: use ReadAsync/WriteAsync (SslStream's AuthenticateAsServerAsync, ReadAsync and WriteAsync do).");
}
