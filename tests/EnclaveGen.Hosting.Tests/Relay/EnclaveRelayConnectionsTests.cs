using EnclaveGen.AspNetCore;

namespace EnclaveGen.Hosting.Tests.Relay;

/// <summary>
/// The host's side of the enclave's relayed connections: the enclave's receive and send reach the
/// stream the host registered under that number, numbers the host never opened (or closed) are a
/// clear error, and recording keeps exactly the bytes moved each way.
/// </summary>
public sealed class EnclaveRelayConnectionsTests
{
    [Fact]
    public async Task ReceiveAndSendMoveTheBytesOfTheNumberedConnectionAndRecordThem()
    {
        EnclaveRelayConnections relay = new(recordBytes: true);
        Duplex first = new("client hello"u8.ToArray());
        Duplex second = new("other"u8.ToArray());
        int one = relay.Open(first);
        int two = relay.Open(second);

        byte[] head = await relay.ReceiveAsync(one, 6);
        byte[] rest = await relay.ReceiveAsync(one, 100);
        byte[] end = await relay.ReceiveAsync(one, 100);
        await relay.SendAsync(one, "server hello"u8.ToArray());
        relay.Close(one, "answered HTTP 200");

        Assert.Equal((1, 2), (one, two));
        Assert.Equal("client"u8.ToArray(), head);
        Assert.Equal(" hello"u8.ToArray(), rest);
        Assert.Empty(end);
        Assert.Equal("server hello"u8.ToArray(), first.Written.ToArray());
        Assert.Equal(0, second.Consumed);
        RelayedConnection recorded = relay.Snapshot()[0];
        Assert.Equal(1, recorded.Number);
        Assert.Equal("client hello"u8.ToArray(), recorded.ToEnclave);
        Assert.Equal("server hello"u8.ToArray(), recorded.FromEnclave);
        Assert.Equal("answered HTTP 200", recorded.Outcome);
        Assert.Equal("open", relay.Snapshot()[1].Outcome);
    }

    [Fact]
    public async Task AReceiveNeverReturnsMoreThanTheLimitWhateverTheEnclaveAsks()
    {
        EnclaveRelayConnections relay = new();
        int number = relay.Open(new Duplex(new byte[3 * EnclaveRelayConnections.MaxReceiveBytes]));

        Assert.Equal(EnclaveRelayConnections.MaxReceiveBytes, (await relay.ReceiveAsync(number, int.MaxValue)).Length);
        Assert.Single(await relay.ReceiveAsync(number, 0));
    }

    [Fact]
    public async Task ANumberTheHostNeverOpenedOrAlreadyClosedIsAClearError()
    {
        EnclaveRelayConnections recording = new(recordBytes: true);
        int number = recording.Open(new Duplex([1, 2, 3]));
        recording.Close(number, "read no request");

        ArgumentOutOfRangeException never = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => recording.ReceiveAsync(7, 10));
        ArgumentOutOfRangeException closed = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => recording.SendAsync(number, [9]));

        Assert.Contains("connection 7, which the host never opened", never.Message, StringComparison.Ordinal);
        Assert.Contains("after the host closed it (read no request)", closed.Message, StringComparison.Ordinal);
        Assert.Empty(recording.Snapshot()[0].FromEnclave);
    }

    [Fact]
    public async Task WithoutRecordingNothingIsKeptAndAClosedConnectionIsForgotten()
    {
        EnclaveRelayConnections relay = new();
        int number = relay.Open(new Duplex("secret-looking bytes"u8.ToArray()));
        await relay.ReceiveAsync(number, 100);
        await relay.SendAsync(number, [1, 2]);

        RelayedConnection open = Assert.Single(relay.Snapshot());
        relay.Close(number, "done");

        Assert.Empty(open.ToEnclave);
        Assert.Empty(open.FromEnclave);
        Assert.Empty(relay.Snapshot());
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => relay.ReceiveAsync(number, 10));
    }

    /// <summary>A connection: reads come from a fixed input, writes are kept.</summary>
    private sealed class Duplex(byte[] input) : Stream
    {
        public MemoryStream Written { get; } = new();

        public int Consumed { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            int n = Math.Min(count, input.Length - Consumed);
            input.AsSpan(Consumed, n).CopyTo(buffer.AsSpan(offset));
            Consumed += n;
            return n;
        }

        public override void Write(byte[] buffer, int offset, int count) => Written.Write(buffer, offset, count);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
