using System.Buffers.Binary;
using EnclaveGen.Runtime.Wire;

namespace EnclaveGen.Runtime.Tests.Wire;

/// <summary>
/// A local date-time crosses as UTC ticks and is made local again by the receiver, in the
/// receiver's time zone. Ticks that are in range as UTC can fall out of range as local time.
/// </summary>
[Collection(nameof(LocalTimeZone))]
public sealed class WireReaderLocalTimeTests
{
    private const long LocalKind = unchecked((long)0x8000_0000_0000_0000);

    [Fact]
    public void ALocalDateTimeThatWouldPassTheEndOfTimeInTheReceiversZoneIsRejected()
    {
        LocalTimeZone.Use("Asia/Tokyo", () =>
        {
            // UTC+9: the largest UTC ticks are nine hours past DateTime.MaxValue as local time.
            EnclaveMarshallingException exception = Assert.Throws<EnclaveMarshallingException>(() => Read(DateTime.MaxValue.Ticks | LocalKind));
            Assert.Contains("out of range", exception.Message);
        });
    }

    [Fact]
    public void ALocalDateTimeWithinRangeInTheReceiversZoneIsConverted()
    {
        LocalTimeZone.Use("Asia/Tokyo", () =>
        {
            DateTime utc = new(2026, 11, 27, 12, 0, 0, DateTimeKind.Utc);
            DateTime local = Read(utc.Ticks | LocalKind);
            Assert.Equal(DateTimeKind.Local, local.Kind);
            Assert.Equal(utc.AddHours(9).Ticks, local.Ticks);
        });
    }

    private static DateTime Read(long data)
    {
        byte[] message = new byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(message, data);
        WireReader reader = new();
        reader.Reset(message, message.Length);
        return reader.ReadDateTime();
    }
}
