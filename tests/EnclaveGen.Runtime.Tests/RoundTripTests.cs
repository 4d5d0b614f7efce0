using EnclaveGen.Runtime.Tests.Enclaves;

namespace EnclaveGen.Runtime.Tests;

/// <summary>Every supported type crosses and comes back exactly, boundary values included.</summary>
public abstract class RoundTripTests(EnclaveMode mode) : IAsyncLifetime
{
    private Zoo.Proxy _zoo = null!;

    public async Task InitializeAsync() => _zoo = await Zoo.CreateEnclaveAsync(new ZooHost(), new EnclaveOptions { Mode = mode });

    public async Task DisposeAsync() => await _zoo.DisposeAsync();

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Boolean(bool value) => Assert.Equal(value, _zoo.EchoBoolean(value));

    [Theory]
    [InlineData(byte.MinValue)]
    [InlineData(byte.MaxValue)]
    public void Byte(byte value) => Assert.Equal(value, _zoo.EchoByte(value));

    [Theory]
    [InlineData(sbyte.MinValue)]
    [InlineData(sbyte.MaxValue)]
    [InlineData((sbyte)-1)]
    public void SByte(sbyte value) => Assert.Equal(value, _zoo.EchoSByte(value));

    [Theory]
    [InlineData(short.MinValue)]
    [InlineData(short.MaxValue)]
    public void Int16(short value) => Assert.Equal(value, _zoo.EchoInt16(value));

    [Theory]
    [InlineData(ushort.MinValue)]
    [InlineData(ushort.MaxValue)]
    public void UInt16(ushort value) => Assert.Equal(value, _zoo.EchoUInt16(value));

    [Theory]
    [InlineData(int.MinValue)]
    [InlineData(int.MaxValue)]
    [InlineData(0)]
    [InlineData(-1)]
    public void Int32(int value) => Assert.Equal(value, _zoo.EchoInt32(value));

    [Theory]
    [InlineData(uint.MinValue)]
    [InlineData(uint.MaxValue)]
    public void UInt32(uint value) => Assert.Equal(value, _zoo.EchoUInt32(value));

    [Theory]
    [InlineData(long.MinValue)]
    [InlineData(long.MaxValue)]
    public void Int64(long value) => Assert.Equal(value, _zoo.EchoInt64(value));

    [Theory]
    [InlineData(ulong.MinValue)]
    [InlineData(ulong.MaxValue)]
    public void UInt64(ulong value) => Assert.Equal(value, _zoo.EchoUInt64(value));

    [Theory]
    [InlineData(0x7FC00001)]           // a NaN with a payload
    [InlineData(unchecked((int)0xFFC00000))] // negative quiet NaN
    [InlineData(unchecked((int)0x80000000))] // -0.0f
    [InlineData(0x7F800000)]           // +infinity
    [InlineData(0x00000001)]           // smallest subnormal
    [InlineData(0x7F7FFFFF)]           // float.MaxValue
    public void SingleKeepsEveryBit(int bits)
    {
        float value = BitConverter.Int32BitsToSingle(bits);
        Assert.Equal(bits, BitConverter.SingleToInt32Bits(_zoo.EchoSingle(value)));
    }

    [Theory]
    [InlineData(0x7FF8000000000001)]            // a NaN with a payload
    [InlineData(unchecked((long)0x8000000000000000))] // -0.0
    [InlineData(unchecked((long)0xFFF0000000000000))] // -infinity
    [InlineData(0x0000000000000001)]            // double.Epsilon
    [InlineData(0x7FEFFFFFFFFFFFFF)]            // double.MaxValue
    public void DoubleKeepsEveryBit(long bits)
    {
        double value = BitConverter.Int64BitsToDouble(bits);
        Assert.Equal(bits, BitConverter.DoubleToInt64Bits(_zoo.EchoDouble(value)));
    }

    [Theory]
    [InlineData('\0')]
    [InlineData('\uD800')] // a lone high surrogate
    [InlineData('\uDFFF')] // a lone low surrogate
    [InlineData('\uFFFF')]
    public void Char(char value) => Assert.Equal(value, _zoo.EchoChar(value));

    [Fact]
    public void EnumsCrossAsTheirUnderlyingValueDefinedOrNot()
    {
        Assert.Equal(Color.Green, _zoo.EchoColor(Color.Green));
        Assert.Equal((Color)255, _zoo.EchoColor((Color)255));
        Assert.Equal(Wide.Low, _zoo.EchoWide(Wide.Low));
        Assert.Equal(Wide.High, _zoo.EchoWide(Wide.High));
    }

    [Theory]
    [InlineData("")]
    [InlineData("hello")]
    [InlineData("\uD800")]                 // lone high surrogate
    [InlineData("a\uDC00b")]               // lone low surrogate in the middle
    [InlineData("\uDBFF\uDFFF\u0000end")]   // a valid pair, then an embedded NUL
    [InlineData("héllo wörld ✓ 😀")]
    public void StringsRoundTripCodeUnitForCodeUnit(string value)
    {
        string echoed = _zoo.EchoString(value);
        Assert.Equal(value.ToCharArray(), echoed.ToCharArray());
    }

    [Fact]
    public void LongStringsRoundTrip()
    {
        string value = string.Create(200_000, 0, static (chars, _) =>
        {
            for (int i = 0; i < chars.Length; i++)
            {
                chars[i] = (char)(i * 7919 % 65536);
            }
        });
        Assert.Equal(value, _zoo.EchoString(value));
    }

    [Fact]
    public void NullCrossesOnlyWhereTheTypeAllowsIt()
    {
        Assert.Null(_zoo.EchoNullableString(null));
        Assert.Null(_zoo.EchoNullableBytes(null));
        Assert.Throws<ArgumentNullException>(() => _zoo.EchoString(null!));
        Assert.Throws<ArgumentNullException>(() => _zoo.EchoBytes(null!));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(255)]
    [InlineData(1 << 20)]
    public void ByteArraysRoundTrip(int length)
    {
        byte[] value = new byte[length];
        new Random(length).NextBytes(value);
        Assert.Equal(value, _zoo.EchoBytes(value));
        Assert.Equal(value, _zoo.EchoNullableBytes(value));
    }
}
