using System.Diagnostics;
using EnclaveGen.Isolation.Tests.Enclaves;
using EnclaveGen.Isolation.Tests.RawHost;
using EnclaveGen.Isolation.Tests.Images;
using EnclaveGen.Runtime.Boundary;
using EnclaveGen.Runtime.Transport.Isolated;

namespace EnclaveGen.Isolation.Tests;

/// <summary>
/// Every value the host chooses for the enclave (in its hello, or in a request) is capped inside:
/// the host cannot switch signature checks off on a real platform store, make an idle enclave spin,
/// make it allocate what no message will fill, or start it without its heap limit.
/// </summary>
[Collection(nameof(ProcessTests))]
public sealed class HostChosenLimitTests
{
    [Fact]
    public void AHostCannotHaveAnUnsignedImageLoadedOnTheUsersPlatformStore()
    {
        using UnsignedCopy unsigned = new();
        using EnclavePlatform store = EnclavePlatform.OpenUserStore(unsigned.Home);
        using RawEnclaveHost host = RawEnclaveHost.Start(RawEnclaveHost.HelloFor(typeof(Hostile), store, allowUnsigned: true, imagePath: unsigned.Image));

        Assert.False(host.Started, "the enclave process loaded an unsigned image on the user's platform store because the host said so");
        Assert.Contains("no signature", host.Failure, StringComparison.Ordinal);
    }

    [Fact]
    public void AnInMemoryTestPlatformMayStillLoadAnUnsignedImage()
    {
        using UnsignedCopy unsigned = new();
        using RawEnclaveHost host = RawEnclaveHost.Start(RawEnclaveHost.HelloFor(typeof(Hostile), EnclavePlatform.CreateInMemory(allowUnsignedImages: true), imagePath: unsigned.Image));
        Assert.True(host.Started, host.Failure + host.Describe());
    }

    [Fact]
    public void AOneDaySpinLimitFromTheHostDoesNotMakeAnIdleEnclaveSpin()
    {
        using RawEnclaveHost host = HostileFrameTests.StartHostile(spinLimitTicks: (long)TimeSpan.FromDays(1).TotalSeconds * Stopwatch.Frequency);
        host.Send(0, host.SealEcall(0, RawEnclaveHost.MethodId(typeof(Hostile), nameof(Hostile.Blob)), w => w.WriteInt32(8)));
        Assert.NotNull(host.Receive(0).Message);

        // Idle now: four slot threads wait for the next request. Spinning, they would use about a
        // core each for the whole wait; sleeping, none (the resolution is 10 ms).
        Thread.Sleep(500);
        TimeSpan before = host.CpuTime;
        Thread.Sleep(2_000);
        TimeSpan used = host.CpuTime - before;
        Assert.True(used < TimeSpan.FromMilliseconds(300), $"an idle enclave used {used.TotalMilliseconds} ms of CPU in 2 s");
    }

    [Fact]
    public void AHugeMessageLimitFromTheHostIsCappedInsideTheEnclave()
    {
        using RawEnclaveHost host = HostileFrameTests.StartHostile(maxMessageBytes: Array.MaxLength - 2048);

        // The first chunk of a message that claims a gigabyte: the enclave refuses it rather than
        // acknowledge it (and reserve room for the rest).
        host.Post(1, FrameKind.Data, 1 << 30, 0, SlotLayout.WindowBytes, new byte[SlotLayout.WindowBytes]);
        HostileFrameTests.AssertHaltedCleanly(host, 1, "limit");
    }

    [Fact]
    public void AnOutBufferLongerThanTheEnclavesOwnLimitIsRefusedBeforeItIsAllocated()
    {
        // The host raised its own message limit to the maximum; the enclave keeps its cap.
        using RawEnclaveHost host = HostileFrameTests.StartHostile(maxMessageBytes: Array.MaxLength - 2048);
        host.Send(0, host.SealEcall(0, RawEnclaveHost.MethodId(typeof(Hostile), nameof(Hostile.Fill)), w => w.WriteInt32(1 << 30)));
        (byte[]? result, string? fault) = host.Receive(0);
        Assert.Null(fault);
        (MessageHeader header, Runtime.Wire.WireReader payload) = host.Open(0, result!);
        Assert.Equal(MessageKind.EcallRejected, header.Kind);
        Assert.Contains("[Out]", payload.ReadString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(EnclaveMode.InProcess)]
    [InlineData(EnclaveMode.Isolated)]
    public async Task OutBuffersThatTogetherCouldNotComeBackAreRefusedBeforeTheyAreAllocated(EnclaveMode mode)
    {
        // Each is under the 16 MiB message limit, together they are not: the results could never
        // carry them back, so the enclave refuses the call instead of allocating them.
        await using Hostile.Proxy hostile = await Hostile.CreateEnclaveAsync(new HostileHost(), new EnclaveOptions { Mode = mode });
        EnclaveMarshallingException refused = Assert.Throws<EnclaveMarshallingException>(() => hostile.FillTwo(new byte[10 << 20], new byte[10 << 20]));
        Assert.Contains("[Out]", refused.Message, StringComparison.Ordinal);
        Assert.Equal(8, hostile.FillTwo(new byte[4], new byte[4]));
    }

    [Fact]
    public void AnEnclaveProcessStartedWithoutItsHeapLimitRefusesToStart()
    {
        using EnclaveFolder folder = ProbeImages.Build("heap-limit-missing", heapLimitBytes: 64L << 20);
        using RawEnclaveHost host = RawEnclaveHost.Start(
            RawEnclaveHost.HelloFor("Swap.Probe", maxThreads: 2, folder.PathOf(ProbeImages.EnclaveAssembly)),
            new Dictionary<string, string?> { ["DOTNET_GCHeapHardLimit"] = null });

        Assert.False(host.Started, "the enclave process started without the heap limit its signed configuration sets");
        Assert.Contains("EnclaveHeapLimit", host.Failure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnEnclaveThatOutgrowsItsHeapLimitHaltsCleanly()
    {
        using EnclaveFolder folder = ProbeImages.Build("heap-limit", heapLimitBytes: 64L << 20);
        Type harness = folder.Harness(ProbeImages.EnclaveAssembly, ProbeImages.HarnessType);
        object probe = await ProbeImages.CreateAsync(harness, new EnclaveOptions { Mode = EnclaveMode.Isolated, Platform = EnclavePlatform.CreateInMemory() });
        try
        {
            Assert.Equal(8, ProbeImages.Call<int>(harness, "Hog", probe, 8));
            EnclaveException halted = Assert.ThrowsAny<EnclaveException>(() => ProbeImages.Call<int>(harness, "Hog", probe, 256));
            Assert.True(halted is EnclaveHaltedException, $"expected a halt, got {halted}");
            Assert.Contains("EnclaveHeapLimit", halted.Message, StringComparison.Ordinal);
            Assert.Throws<EnclaveHaltedException>(() => ProbeImages.Call<int>(harness, "Hog", probe, 1));
        }
        finally
        {
            await ProbeImages.DisposeAsync(harness, probe);
        }
    }

    private sealed class HostileHost : Hostile.IUntrusted
    {
        public int HostSink(byte[] data) => data.Length;
    }

    /// <summary>This test assembly (an enclave library) copied alone into a folder, without its signature file.</summary>
    private sealed class UnsignedCopy : IDisposable
    {
        private readonly string _root = Directory.CreateTempSubdirectory("enclavegen-unsigned-").FullName;

        public UnsignedCopy()
        {
            Home = Directory.CreateDirectory(Path.Combine(_root, "home")).FullName;
            Image = Path.Combine(_root, Path.GetFileName(typeof(Hostile).Assembly.Location));
            File.Copy(typeof(Hostile).Assembly.Location, Image);
        }

        public string Image { get; }

        public string Home { get; }

        public void Dispose() => Directory.Delete(_root, recursive: true);
    }
}
