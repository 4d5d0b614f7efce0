using System.Runtime.CompilerServices;

namespace EnclaveGen.Runtime.Tests.SideChannels;

/// <summary>
/// The branch-free helpers give the same results as the plain operators: exhaustively where the
/// domain is small enough (bytes, every pair), on every boundary and many random values where not.
/// </summary>
public sealed class ConstantTimeTests
{
    private static readonly long[] Boundaries =
    [
        0, 1, -1, 2, -2, 127, 128, 255, 256, short.MaxValue, short.MinValue, ushort.MaxValue,
        int.MaxValue, int.MinValue, int.MaxValue - 1L, int.MinValue + 1L, uint.MaxValue, uint.MaxValue - 1L,
        long.MaxValue, long.MinValue, long.MaxValue - 1, long.MinValue + 1,
    ];

    [Fact]
    public void SelectOnBytesMatchesTheConditionalOperatorForEveryInput()
    {
        for (int a = 0; a < 256; a++)
        {
            for (int b = 0; b < 256; b++)
            {
                Assert.Equal((byte)a, ConstantTime.Select(true, (byte)a, (byte)b));
                Assert.Equal((byte)b, ConstantTime.Select(false, (byte)a, (byte)b));
                Assert.Equal((sbyte)a, ConstantTime.Select(true, (sbyte)a, (sbyte)b));
                Assert.Equal((sbyte)b, ConstantTime.Select(false, (sbyte)a, (sbyte)b));
            }
        }
    }

    [Fact]
    public void SelectOnWideIntegersMatchesTheConditionalOperator()
    {
        foreach ((long a, long b) in Pairs())
        {
            foreach (bool condition in new[] { true, false })
            {
                Assert.Equal(condition ? (int)a : (int)b, ConstantTime.Select(condition, (int)a, (int)b));
                Assert.Equal(condition ? (uint)a : (uint)b, ConstantTime.Select(condition, (uint)a, (uint)b));
                Assert.Equal(condition ? a : b, ConstantTime.Select(condition, a, b));
                Assert.Equal(condition ? (ulong)a : (ulong)b, ConstantTime.Select(condition, (ulong)a, (ulong)b));
                Assert.Equal(condition ? (short)a : (short)b, ConstantTime.Select(condition, (short)a, (short)b));
            }
        }
    }

    [Fact]
    public void SelectCopiesAnyUnmanagedValueBitForBit()
    {
        Assert.True(ConstantTime.Select(true, true, false));
        Assert.False(ConstantTime.Select(false, true, false));
        Assert.Equal(double.NaN, ConstantTime.Select(true, double.NaN, -0.0));
        Assert.Equal(BitConverter.DoubleToInt64Bits(-0.0), BitConverter.DoubleToInt64Bits(ConstantTime.Select(false, double.NaN, -0.0)));
        Assert.Equal(decimal.MaxValue, ConstantTime.Select(true, decimal.MaxValue, 1m));
        Assert.Equal((7, 'x'), ConstantTime.Select(false, (1, 'a'), (7, 'x')));
    }

    [Fact]
    public void ABoolWhoseByteIsNotOneStillSelectsAsTrue()
    {
        // Interop and Unsafe can make a bool of any non-zero byte; it must not select a mix of bits.
        for (int raw = 1; raw < 256; raw++)
        {
            byte value = (byte)raw;
            bool condition = Unsafe.As<byte, bool>(ref value);
            Assert.Equal(0x12345678, ConstantTime.Select(condition, 0x12345678, -1));
            Assert.Equal((byte)0xA5, ConstantTime.Select(condition, (byte)0xA5, (byte)0x5A));
        }
    }

    [Fact]
    public void LessThanOnBytesAndShortsMatchesTheOperatorForEveryPair()
    {
        for (int a = 0; a < 256; a++)
        {
            for (int b = 0; b < 256; b++)
            {
                Assert.Equal(a < b, ConstantTime.LessThan(a, b));
                Assert.Equal((uint)a < (uint)b, ConstantTime.LessThan((uint)a, (uint)b));
                Assert.Equal((sbyte)a < (sbyte)b, ConstantTime.LessThan((sbyte)a, (sbyte)b));
            }
        }
    }

    [Fact]
    public void LessThanOnWideIntegersMatchesTheOperatorIncludingOverflowingDifferences()
    {
        foreach ((long a, long b) in Pairs())
        {
            Assert.Equal((int)a < (int)b, ConstantTime.LessThan((int)a, (int)b));
            Assert.Equal((uint)a < (uint)b, ConstantTime.LessThan((uint)a, (uint)b));
            Assert.Equal(a < b, ConstantTime.LessThan(a, b));
            Assert.Equal((ulong)a < (ulong)b, ConstantTime.LessThan((ulong)a, (ulong)b));
        }
    }

    [Fact]
    public void EqualsComparesEveryByteAndTreatsLengthAsPublic()
    {
        byte[] secret = Enumerable.Range(0, 64).Select(i => (byte)(i * 7)).ToArray();
        Assert.True(ConstantTime.Equals(secret, (byte[])secret.Clone()));
        for (int i = 0; i < secret.Length; i++)
        {
            foreach (byte flip in new byte[] { 1, 0x80, 0xFF })
            {
                byte[] other = (byte[])secret.Clone();
                other[i] ^= flip;
                Assert.False(ConstantTime.Equals(secret, other));
            }
        }

        Assert.False(ConstantTime.Equals(secret, secret.AsSpan(0, 63)));
        Assert.True(ConstantTime.Equals(ReadOnlySpan<byte>.Empty, ReadOnlySpan<byte>.Empty));
    }

    [Fact]
    public void LookupReturnsEveryEntryOfTablesOfEveryElementSize()
    {
        byte[] bytes = Enumerable.Range(0, 256).Select(i => (byte)(255 - i)).ToArray();
        long[] longs = Enumerable.Range(0, 37).Select(i => long.MinValue + (i * 0x0101010101L)).ToArray();
        (int, byte)[] pairs = Enumerable.Range(0, 10).Select(i => (i * -3, (byte)i)).ToArray();
        for (int i = 0; i < bytes.Length; i++)
        {
            Assert.Equal(bytes[i], ConstantTime.Lookup(bytes, i));
        }

        for (int i = 0; i < longs.Length; i++)
        {
            Assert.Equal(longs[i], ConstantTime.Lookup((ReadOnlySpan<long>)longs, i));
        }

        for (int i = 0; i < pairs.Length; i++)
        {
            Assert.Equal(pairs[i], ConstantTime.Lookup(pairs, i));
        }
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(300)]
    [InlineData(int.MinValue)]
    public void ALookupOutsideTheTableThrowsWithoutNamingTheSecretIndex(int index)
    {
        ArgumentOutOfRangeException error = Assert.Throws<ArgumentOutOfRangeException>(() => ConstantTime.Lookup(new byte[100], index));
        Assert.Equal("secretIndex", error.ParamName);
        Assert.DoesNotContain(index.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);
        Assert.Null(error.ActualValue);
    }

    private static IEnumerable<(long, long)> Pairs()
    {
        foreach (long a in Boundaries)
        {
            foreach (long b in Boundaries)
            {
                yield return (a, b);
            }
        }

        Random random = new(20261206);
        for (int i = 0; i < 200_000; i++)
        {
            yield return (random.NextInt64(long.MinValue, long.MaxValue), random.NextInt64(long.MinValue, long.MaxValue));
        }
    }
}
