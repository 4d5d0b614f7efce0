using EnclaveGen.Runtime.Boundary;
using EnclaveGen.Runtime.Tests.Enclaves;
using EnclaveGen.Runtime.Wire;

namespace EnclaveGen.Runtime.Tests;

/// <summary>
/// Values long enough to be sealed straight from the sender's memory and opened straight into the
/// receiver's (docs/performance.md) cross exactly, whatever their offset in the message; a
/// tampered or truncated long message still halts the enclave; and a call allocates only the copies
/// it hands out.
/// </summary>
public abstract class LargeValueTests(EnclaveMode mode, LargeValueTests.SharedEnclave shared)
{
    // Around both thresholds (sealing in pieces, opening in pieces) and well past them.
    public static TheoryData<int> Sizes => new(
        WireWriter.SealInPiecesFrom - 1, WireWriter.SealInPiecesFrom, WireWriter.SealInPiecesFrom + 17,
        SlotChannel.OpenInPiecesFrom - 9, SlotChannel.OpenInPiecesFrom, SlotChannel.OpenInPiecesFrom + 1,
        65_536 + 7, (1 << 20) + 3);

    private LargeValues.Proxy Enclave => shared.For(mode);

    [Theory]
    [MemberData(nameof(Sizes))]
    public void ArraysAndStringsCrossExactlyAtEveryOffset(int size)
    {
        byte[] bytes = Bytes(size, seed: size);
        Assert.True(bytes.AsSpan().SequenceEqual(Enclave.EchoBytes(bytes)));

        // One to three bytes before and after move the value across the 16-byte blocks of the message.
        for (byte lead = 0; lead < 3; lead++)
        {
            byte[] back = Enclave.EchoAfter(lead, bytes, 0xEE);
            Assert.Equal(size + 2, back.Length);
            Assert.Equal(lead, back[0]);
            Assert.True(bytes.AsSpan().SequenceEqual(back.AsSpan(1, size)));
            Assert.Equal(0xEE, back[^1]);
        }

        string text = string.Create(size / 2, size, static (chars, seed) =>
        {
            Random random = new(seed);
            for (int i = 0; i < chars.Length; i++)
            {
                chars[i] = (char)random.Next(0xD700, 0xDC80);   // lone surrogates included
            }
        });
        Assert.Equal(text, Enclave.EchoString(text));

        int[] ints = Ints(size / 4, seed: size);
        Assert.True(ints.AsSpan().SequenceEqual(Enclave.EchoInts(-1, ints)));
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void SpansAndBuffersCrossBothWays(int size)
    {
        int[] ints = Ints(size / 4, seed: size);
        Assert.Equal(ints.Sum(value => (long)value), Enclave.Sum(ints));

        byte[] filled = Bytes(size, seed: 1);
        Enclave.Fill(filled, 0x3C);
        Assert.True(filled.AsSpan().IndexOfAnyExcept((byte)0x3C) < 0);

        byte[] array = new byte[size];
        Enclave.FillArray(array);
        byte[] expected = new byte[size];
        for (int i = 0; i < size; i++)
        {
            expected[i] = (byte)(i * 7);
        }

        Assert.True(expected.AsSpan().SequenceEqual(array));

        int[] negated = (int[])ints.Clone();
        Enclave.Negate(negated);
        Assert.True(ints.Select(value => -value).ToArray().AsSpan().SequenceEqual(negated));

        byte[] memory = new byte[size];
        Enclave.FillMemory(memory);
        Assert.True(memory.AsSpan().IndexOfAnyExcept((byte)0xA5) < 0);

        long[] longs = Enumerable.Range(0, size / 8).Select(i => (long)i * 3).ToArray();
        Assert.Equal(longs.Length, Enclave.ReverseInside(longs));
        Assert.True(Enumerable.Range(0, size / 8).Reverse().Select(i => (long)i * 3).ToArray().AsSpan().SequenceEqual(longs));
    }

    [Fact]
    public void SeveralLargeValuesInOneMessageCrossExactly()
    {
        Bundle bundle = new(7, Bytes(70_001, seed: 2), "between", [.. Enumerable.Range(0, 9_999).Select(i => (long)i << 20)], true);
        Bundle back = Enclave.EchoBundle(bundle);
        Assert.Equal(bundle.Tag, back.Tag);
        Assert.Equal(bundle.First, back.First);
        Assert.Equal(bundle.Label, back.Label);
        Assert.Equal(bundle.Second, back.Second);
        Assert.True(back.Last);

        // A sequence's count is patched after its elements are written: large elements inside it
        // are copied, not sealed in pieces, so the patch lands in plaintext.
        byte[][] items = [Bytes(30_000, seed: 3), Bytes(5, seed: 4), Bytes(20_000, seed: 5)];
        IReadOnlyList<byte[]> echoed = Enclave.EchoSequence(items.Select(item => item));
        Assert.Equal(items, echoed);
    }

    [Fact]
    public void LargeValuesCrossThroughAnOcallBothWays()
    {
        byte[] bytes = Bytes(200_003, seed: 6);
        Assert.Equal(bytes.Reverse(), Enclave.RoundTripThroughHost(bytes));
    }

    [Theory]
    [InlineData(MessageKind.EcallRequest, 40_000)]
    [InlineData(MessageKind.EcallResult, 40_000)]
    [InlineData(MessageKind.OcallRequest, -1)]
    public async Task TamperingWithALongMessageHaltsTheEnclave(MessageKind target, int offset)
    {
        DelegateInterceptor interceptor = DelegateInterceptor.FlipOnce(target, offset, 0x10);
        await using LargeValues.Proxy enclave = await LargeValues.CreateEnclaveAsync(new LargeValuesHost(), new EnclaveOptions { Mode = mode, Interceptor = interceptor });

        Exception failure = Assert.ThrowsAny<Exception>(() => enclave.RoundTripThroughHost(Bytes(100_000, seed: 7)));
        Assert.True(
            failure is EnclaveIntegrityException or TrustedCodeException { ExceptionTypeName: "EnclaveGen.EnclaveIntegrityException" },
            $"expected an integrity failure, got {failure}");
        Assert.Contains(interceptor.Seen, message => message.Kind == target && message.Bytes.Length > SlotChannel.OpenInPiecesFrom);
        Assert.Throws<EnclaveHaltedException>(() => enclave.EchoBytes([1]));
    }

    // A request of about 100,000 bytes cut short by: one tag byte, the whole tag, half the message
    // (still long enough to be verified whole before it is decrypted in pieces), and all but a short
    // message's worth (opened in one go).
    [Theory]
    [InlineData(1)]
    [InlineData(16)]
    [InlineData(50_001)]
    [InlineData(99_000)]
    public async Task TruncatingALongMessageHaltsTheEnclave(int cut)
    {
        int original = 0;
        int kept = 0;
        DelegateInterceptor interceptor = new(message =>
        {
            if (original != 0 || message.Kind != MessageKind.EcallRequest || message.Bytes.Length < SlotChannel.OpenInPiecesFrom)
            {
                return null;
            }

            original = message.Bytes.Length;
            kept = original - cut;
            return message.Bytes.AsSpan(0, kept).ToArray();
        });
        await using LargeValues.Proxy enclave = await LargeValues.CreateEnclaveAsync(new LargeValuesHost(), new EnclaveOptions { Mode = mode, Interceptor = interceptor });

        EnclaveIntegrityException failure = Assert.Throws<EnclaveIntegrityException>(() => enclave.EchoBytes(Bytes(100_000, seed: 9)));
        Assert.Contains("failed authentication", failure.Message);
        Assert.True(original > 100_000, $"the long request was not seen (original {original} bytes)");
        // The cases cover both ways of opening: verified whole, then decrypted in pieces; or in one go.
        Assert.Equal(cut < 99_000, kept - MessageFormat.Overhead >= SlotChannel.OpenInPiecesFrom);
        Assert.Throws<EnclaveHaltedException>(() => enclave.EchoBytes([1]));
    }

    [Fact]
    public void ALargeEchoAllocatesOnlyTheTwoCopiesItHandsOut()
    {
        // In-process the enclave's copy and the host's result are both counted on this thread; in
        // isolated mode only the host's. Nothing else per call: no staging buffers.
        byte[] bytes = Bytes(256 * 1024, seed: 8);
        for (int i = 0; i < 20; i++)
        {
            Enclave.EchoBytes(bytes);
        }

        long copies = (mode == EnclaveMode.InProcess ? 2 : 1) * (bytes.Length + 24L);
        long best = long.MaxValue;
        for (int window = 0; window < 3 && best > copies; window++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 10; i++)
            {
                Enclave.EchoBytes(bytes);
            }

            best = Math.Min(best, (GC.GetAllocatedBytesForCurrentThread() - before) / 10);
        }

        Assert.True(best <= copies, $"a {bytes.Length}-byte echo allocated {best} bytes per call; the copies it hands out are {copies}");
    }

    /// <summary>One enclave per mode for the tests of a class (an isolated one takes a process to start).</summary>
    public sealed class SharedEnclave : IAsyncLifetime
    {
        private readonly Dictionary<EnclaveMode, LargeValues.Proxy> _enclaves = [];

        public LargeValues.Proxy For(EnclaveMode mode)
        {
            lock (_enclaves)
            {
                if (!_enclaves.TryGetValue(mode, out LargeValues.Proxy? enclave))
                {
                    enclave = LargeValues.CreateEnclaveAsync(new LargeValuesHost(), new EnclaveOptions { Mode = mode }).AsTask().GetAwaiter().GetResult();
                    _enclaves.Add(mode, enclave);
                }

                return enclave;
            }
        }

        public Task InitializeAsync() => Task.CompletedTask;

        public async Task DisposeAsync()
        {
            foreach (LargeValues.Proxy enclave in _enclaves.Values)
            {
                await enclave.DisposeAsync();
            }
        }
    }

    private static byte[] Bytes(int size, int seed)
    {
        byte[] bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static int[] Ints(int count, int seed)
    {
        Random random = new(seed);
        return Enumerable.Range(0, count).Select(_ => random.Next(int.MinValue, int.MaxValue)).ToArray();
    }
}

public sealed class LargeValueTestsInProcess(LargeValueTests.SharedEnclave shared)
    : LargeValueTests(EnclaveMode.InProcess, shared), IClassFixture<LargeValueTests.SharedEnclave>;

public sealed class LargeValueTestsIsolated(LargeValueTests.SharedEnclave shared)
    : LargeValueTests(EnclaveMode.Isolated, shared), IClassFixture<LargeValueTests.SharedEnclave>;
