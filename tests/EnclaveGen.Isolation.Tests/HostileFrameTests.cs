using EnclaveGen.Isolation.Tests.Enclaves;
using EnclaveGen.Isolation.Tests.RawHost;
using EnclaveGen.Runtime.Boundary;
using EnclaveGen.Runtime.Transport.Isolated;

namespace EnclaveGen.Isolation.Tests;

/// <summary>
/// A hostile host breaks the ring protocol in the middle of a crossing, on the enclave's send
/// side as well as its receive side, in ECALLs and OCALLs. Whatever it writes, the enclave halts
/// cleanly: its process lives on, says why in a fault frame, and refuses every later call.
/// </summary>
[Collection(nameof(ProcessTests))]
public sealed class HostileFrameTests
{
    private const int LongerThanOneWindow = SlotLayout.WindowBytes + 40_000;

    public enum Breach
    {
        /// <summary>A data frame where the enclave waits for an acknowledgement.</summary>
        DataInPlaceOfAcknowledgement,

        /// <summary>An acknowledgement whose counter jumps by two.</summary>
        JumpedCounter,
    }

    [Theory]
    [InlineData(Breach.DataInPlaceOfAcknowledgement)]
    [InlineData(Breach.JumpedCounter)]
    public void AHostileFrameDuringAMultiChunkResultHaltsTheEnclaveCleanly(Breach breach)
    {
        using RawEnclaveHost host = StartHostile();
        host.Send(0, host.SealEcall(0, RawEnclaveHost.MethodId(typeof(Hostile), nameof(Hostile.Blob)), w => w.WriteInt32(LongerThanOneWindow)));

        RawFrame first = host.NextFrame(0) ?? throw new Xunit.Sdk.XunitException($"No result arrived.{host.Describe()}");
        Assert.Equal(FrameKind.Data, first.Kind);
        Assert.True(first.Total > SlotLayout.WindowBytes, "the result should need more than one frame");

        Break(host, 0, breach);
        AssertHaltedCleanly(host, 0, breach == Breach.JumpedCounter ? "jumped" : "acknowledgement");
    }

    [Theory]
    [InlineData(Breach.DataInPlaceOfAcknowledgement)]
    [InlineData(Breach.JumpedCounter)]
    public void AHostileFrameDuringAnOcallSendHaltsTheEnclaveWhateverTrustedCodeCatches(Breach breach)
    {
        // The trusted method catches every exception its OCALL throws and returns normally.
        using RawEnclaveHost host = StartHostile();
        host.Send(0, host.SealEcall(0, RawEnclaveHost.MethodId(typeof(Hostile), nameof(Hostile.SinkSwallowingErrors)), w => w.WriteInt32(LongerThanOneWindow)));

        RawFrame first = host.NextFrame(0) ?? throw new Xunit.Sdk.XunitException($"No OCALL arrived.{host.Describe()}");
        Assert.Equal(FrameKind.Data, first.Kind);
        Assert.True(first.Total > SlotLayout.WindowBytes, "the OCALL's arguments should need more than one frame");

        Break(host, 0, breach);
        AssertHaltedCleanly(host, 0, breach == Breach.JumpedCounter ? "jumped" : "acknowledgement");
    }

    [Fact]
    public void AHostileFrameInPlaceOfAnOcallResultHaltsTheEnclaveWhateverTrustedCodeCatches()
    {
        using RawEnclaveHost host = StartHostile();
        host.Send(0, host.SealEcall(0, RawEnclaveHost.MethodId(typeof(Hostile), nameof(Hostile.SinkSwallowingErrors)), w => w.WriteInt32(16)));
        (byte[]? ocall, string? fault) = host.Receive(0);
        Assert.Null(fault);
        Assert.Equal(MessageKind.OcallRequest, host.Open(0, ocall!).Header.Kind);

        // The OCALL's "result": a chunk that claims to start in the middle of its message.
        host.Post(0, FrameKind.Data, 100, 50, 50, new byte[50]);
        AssertHaltedCleanly(host, 0, "unexpected frame");
    }

    [Fact]
    public void AHostileFrameInTheMiddleOfAMultiChunkRequestHaltsTheEnclaveCleanly()
    {
        using RawEnclaveHost host = StartHostile();
        byte[] request = host.SealEcall(0, RawEnclaveHost.MethodId(typeof(Hostile), nameof(Hostile.Fill)), w => w.WriteInt32(-1));
        byte[] padded = new byte[LongerThanOneWindow];
        request.CopyTo(padded, 0);
        host.Post(0, FrameKind.Data, padded.Length, 0, SlotLayout.WindowBytes, padded.AsSpan(0, SlotLayout.WindowBytes));
        Assert.Equal(FrameKind.Ack, (host.NextFrame(0) ?? throw new Xunit.Sdk.XunitException($"No acknowledgement.{host.Describe()}")).Kind);

        // The second chunk repeats the first one's offset.
        host.Post(0, FrameKind.Data, padded.Length, 0, padded.Length - SlotLayout.WindowBytes, padded.AsSpan(SlotLayout.WindowBytes));
        AssertHaltedCleanly(host, 0, "chunk");
    }

    internal static RawEnclaveHost StartHostile(int? maxMessageBytes = null, long spinLimitTicks = -1)
    {
        RawEnclaveHost host = RawEnclaveHost.Start(RawEnclaveHost.HelloFor(typeof(Hostile), maxMessageBytes: maxMessageBytes, spinLimitTicks: spinLimitTicks));
        Assert.True(host.Started, host.Failure + host.Describe());
        return host;
    }

    /// <summary>
    /// The enclave answered the breach with a fault frame naming it (its process did not die), and
    /// a fresh, well-formed ECALL on another slot is refused because the enclave halted.
    /// </summary>
    internal static void AssertHaltedCleanly(RawEnclaveHost host, int slot, string reason)
    {
        RawFrame answer = host.NextFrame(slot) ?? throw new Xunit.Sdk.XunitException($"The enclave sent nothing after the breach.{host.Describe()}");
        Assert.True(answer.Kind == FrameKind.Fault, $"expected a fault frame, got {answer.Kind} ({answer.Total} bytes).{host.Describe()}");
        Assert.Contains("integrity", answer.FaultText, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(reason, answer.FaultText, StringComparison.OrdinalIgnoreCase);

        int other = (slot + 1) % 4;
        host.Send(other, host.SealEcall(other, RawEnclaveHost.MethodId(typeof(Hostile), nameof(Hostile.Blob)), w => w.WriteInt32(4)));
        (byte[]? result, string? fault) = host.Receive(other);
        Assert.Null(result);
        Assert.Contains("halted", fault, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(reason, fault, StringComparison.OrdinalIgnoreCase);
        Assert.True(host.IsAlive, $"the enclave process died.{host.Describe()}");
    }

    private static void Break(RawEnclaveHost host, int slot, Breach breach)
    {
        if (breach == Breach.DataInPlaceOfAcknowledgement)
        {
            host.Post(slot, FrameKind.Data, 10, 0, 10, new byte[10]);
        }
        else
        {
            host.Post(slot, FrameKind.Ack, 0, 0, 0, step: 2);
        }
    }
}
