using System.Buffers.Binary;
using EnclaveGen.Runtime.Wire;

namespace EnclaveGen.Runtime.Tests.Wire;

/// <summary>The decoder checks every length against what remains before it allocates or reads.</summary>
public sealed class WireReaderTests
{
    [Fact]
    public void ReadingPastTheEndFailsWithMarshallingException()
    {
        WireReader reader = Reader([1, 2, 3]);
        EnclaveMarshallingException exception = Assert.Throws<EnclaveMarshallingException>(() => reader.ReadInt32());
        Assert.Contains("needed 4 bytes at offset 0 but only 3 remain", exception.Message);
    }

    [Fact]
    public void InflatedStringLengthFailsBeforeAllocating()
    {
        byte[] message = new byte[8];
        BinaryPrimitives.WriteInt32LittleEndian(message, int.MaxValue);
        WireReader reader = Reader(message);

        long before = GC.GetAllocatedBytesForCurrentThread();
        EnclaveMarshallingException exception = Assert.Throws<EnclaveMarshallingException>(() => reader.ReadString());
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Contains($"declares {int.MaxValue} elements", exception.Message);
        Assert.True(allocated < 64 * 1024, $"decoding allocated {allocated} bytes");
    }

    [Theory]
    [InlineData(-2)]
    [InlineData(int.MinValue)]
    public void NegativeLengthOtherThanNullMarkerFails(int length)
    {
        byte[] message = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(message, length);
        Assert.Throws<EnclaveMarshallingException>(() => Reader(message).ReadBytes());
    }

    [Fact]
    public void NullMarkerIsNullOnlyWhereAllowed()
    {
        byte[] message = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(message, -1);
        Assert.Null(Reader(message).ReadString());
        Assert.Null(Reader(message).ReadBytes());
        Assert.Throws<EnclaveMarshallingException>(() => Reader(message).ReadRequiredString());
        Assert.Throws<EnclaveMarshallingException>(() => Reader(message).ReadRequiredBytes());
    }

    [Theory]
    [InlineData(2)]
    [InlineData(255)]
    public void BooleanOtherThanZeroOrOneFails(byte value) =>
        Assert.Throws<EnclaveMarshallingException>(() => Reader([value]).ReadBoolean());

    [Fact]
    public void LeftoverBytesFailEnsureEnd()
    {
        WireReader reader = Reader([1, 0, 0, 0, 9]);
        Assert.Equal(1, reader.ReadInt32());
        EnclaveMarshallingException exception = Assert.Throws<EnclaveMarshallingException>(reader.EnsureEnd);
        Assert.Contains("1 bytes are left over", exception.Message);
        Assert.False(reader.IsComplete);
    }

    [Fact]
    public void WriterAndReaderAgreeOnEveryEncoding()
    {
        WireWriter writer = new(maxPayloadBytes: 1 << 20);
        writer.WriteBoolean(true);
        writer.WriteSByte(-5);
        writer.WriteUInt16(65535);
        writer.WriteChar('\uD800');
        writer.WriteInt64(long.MinValue);
        writer.WriteDouble(double.NegativeZero);
        writer.WriteString("x\uDC00y");
        writer.WriteString(null);
        writer.WriteBytes([9, 8]);

        byte[] payload = writer.Buffer.AsSpan(16, writer.PayloadLength).ToArray();
        WireReader reader = Reader(payload);
        Assert.True(reader.ReadBoolean());
        Assert.Equal(-5, reader.ReadSByte());
        Assert.Equal(65535, reader.ReadUInt16());
        Assert.Equal('\uD800', reader.ReadChar());
        Assert.Equal(long.MinValue, reader.ReadInt64());
        Assert.Equal(BitConverter.DoubleToInt64Bits(double.NegativeZero), BitConverter.DoubleToInt64Bits(reader.ReadDouble()));
        Assert.Equal("x\uDC00y", reader.ReadString());
        Assert.Null(reader.ReadString());
        Assert.Equal(new byte[] { 9, 8 }, reader.ReadBytes());
        reader.EnsureEnd();
    }

    [Fact]
    public void WriterRefusesPayloadOverTheLimit()
    {
        WireWriter writer = new(maxPayloadBytes: 1024);
        EnclaveMarshallingException exception = Assert.Throws<EnclaveMarshallingException>(() => writer.WriteBytes(new byte[2000]));
        Assert.Contains("MaxMessageBytes", exception.Message);
    }

    private static WireReader Reader(byte[] payload)
    {
        WireReader reader = new();
        reader.Reset(payload, payload.Length);
        return reader;
    }
}
