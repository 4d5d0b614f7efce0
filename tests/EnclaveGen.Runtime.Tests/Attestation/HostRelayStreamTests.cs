namespace EnclaveGen.Runtime.Tests.Attestation;

/// <summary>The relay stream trusted code puts under its SslStream: the host's answers are checked, not believed.</summary>
public sealed class HostRelayStreamTests
{
    [Fact]
    public async Task ReadsAskForAtMostOneRecordAndCopyWhatTheHostReturns()
    {
        int asked = 0;
        await using HostRelayStream stream = new(max => { asked = max; return Task.FromResult("abc"u8.ToArray()); }, _ => Task.CompletedTask);
        byte[] buffer = new byte[100_000];

        int read = await stream.ReadAsync(buffer);

        Assert.Equal(3, read);
        Assert.Equal(HostRelayStream.MaxReadSize, asked);
        Assert.Equal("abc"u8.ToArray(), buffer[..3]);
    }

    [Fact]
    public async Task AHostReturningMoreThanAskedOrNullIsRefused()
    {
        await using HostRelayStream tooMuch = new(max => Task.FromResult(new byte[max + 1]), _ => Task.CompletedTask);
        await using HostRelayStream nothing = new(_ => Task.FromResult<byte[]>(null!), _ => Task.CompletedTask); // null!: a hostile host breaks the contract on purpose

        IOException more = await Assert.ThrowsAsync<IOException>(() => tooMuch.ReadAsync(new byte[10]).AsTask());
        await Assert.ThrowsAsync<IOException>(() => nothing.ReadAsync(new byte[10]).AsTask());

        Assert.Contains("11 bytes", more.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WritesHandTheBytesToTheHostAndSynchronousUseIsRefused()
    {
        List<byte[]> sent = [];
        await using HostRelayStream stream = new(_ => Task.FromResult(Array.Empty<byte>()), records => { sent.Add(records); return Task.CompletedTask; });

        await stream.WriteAsync("record"u8.ToArray());

        Assert.Equal("record"u8.ToArray(), Assert.Single(sent));
        Assert.Equal(0, await stream.ReadAsync(new byte[4]));
        Assert.Throws<NotSupportedException>(() => stream.Read(new byte[4], 0, 4));
    }
}
