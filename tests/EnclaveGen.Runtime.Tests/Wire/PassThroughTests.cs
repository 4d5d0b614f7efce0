using System.Buffers.Binary;
using System.Security.Cryptography;
using EnclaveGen.Runtime.Boundary;
using EnclaveGen.Runtime.Tests.Crypto;
using EnclaveGen.Runtime.Wire;

namespace EnclaveGen.Runtime.Tests.Wire;

/// <summary>
/// A message's pass-through part (docs/wire-format.md): bytes after the tag that the boundary does
/// not encrypt again, whose presence, position and length it still authenticates. Every way of
/// moving the part's boundaries is an integrity violation; its content is the sender's, and a
/// reader that does not ask for it does not end.
/// </summary>
public sealed class PassThroughTests
{
    private const int MaxMessageBytes = 1 << 20;

    public static TheoryData<string, int, int> Cases()
    {
        TheoryData<string, int, int> cases = [];
        foreach (string aead in AeadImplementations.Names)
        {
            // Part lengths around zero and a block; sealed values short, and long enough to be
            // sealed and opened in pieces.
            foreach (int part in new[] { 0, 1, 15, 4096, 70_001 })
            {
                cases.Add(aead, part, 3);
                cases.Add(aead, part, SlotChannel.OpenInPiecesFrom + 5);
            }
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ValuesArriveSealedAndThePartArrivesAsSentWithItsLength(string aead, int partLength, int valueLength)
    {
        ChannelPair pair = NewPair(aead);
        byte[] value = RandomNumberGenerator.GetBytes(valueLength);
        byte[] part = RandomNumberGenerator.GetBytes(partLength);
        pair.Writer.WriteInt32(42);
        pair.Writer.WriteBytes(value);
        pair.Writer.WritePassThrough(part);
        byte[] message = pair.Seal();

        Assert.Equal(MessageFormat.Overhead + 4 + (4 + valueLength) + 4 + partLength + 4, message.Length);
        Assert.Equal(MessageFormat.Version | MessageFormat.PassThroughFlag, message[0]);
        if (valueLength >= 16)
        {
            Assert.True(message.AsSpan().IndexOf(value) < 0, "a sealed value crossed in plaintext");
        }

        Assert.True(message.AsSpan(message.Length - 4 - partLength, partLength).SequenceEqual(part));
        WireReader reader = pair.Open(message);
        Assert.Equal(42, reader.ReadInt32());
        Assert.Equal(value, reader.ReadBytes());
        Assert.True(reader.ReadPassThrough().SequenceEqual(part));
        reader.EnsureEnd();
    }

    [Fact]
    public void APartFilledInPlaceGoesWithTheLengthTheSenderEndedIt()
    {
        ChannelPair pair = NewPair(AeadImplementations.Names.First());
        pair.Writer.WriteInt64(7);
        Span<byte> room = pair.Writer.BeginPassThrough(5000);
        room[..300].Fill(0xAB);
        pair.Writer.EndPassThrough(300);
        byte[] message = pair.Seal();

        WireReader reader = pair.Open(message);
        Assert.Equal(7, reader.ReadInt64());
        ReadOnlySpan<byte> part = reader.ReadPassThrough();
        Assert.Equal(300, part.Length);
        Assert.True(part.IndexOfAnyExcept((byte)0xAB) < 0);
        reader.EnsureEnd();
    }

    public static TheoryData<string> Moves => new("longer", "shorter", "negative", "huge", "grown with its length", "cut with its length", "flag cleared", "flag set on a plain message", "truncated");

    [Theory]
    [MemberData(nameof(Moves))]
    public void MovingThePartsBoundariesIsAnIntegrityViolation(string move)
    {
        // Each case opens the first message of its pair, so only the move can fail it.
        ChannelPair pair = NewPair(AeadImplementations.Names.First());
        pair.Writer.WriteString("name.db");
        if (move != "flag set on a plain message")
        {
            pair.Writer.WritePassThrough(RandomNumberGenerator.GetBytes(100));
        }

        byte[] message = pair.Seal();
        int length = BinaryPrimitives.ReadInt32LittleEndian(message.AsSpan(^4));
        byte[] moved = move switch
        {
            "longer" => WithClearLength(message, length + 1),
            "shorter" => WithClearLength(message, length - 1),
            "negative" => WithClearLength(message, -1),
            "huge" => WithClearLength(message, int.MaxValue),
            "grown with its length" => [.. message[..^4], 0x55, .. LittleEndian(length + 1)],
            "cut with its length" => [.. message[..^5], .. LittleEndian(length - 1)],
            "flag cleared" => [(byte)(message[0] & ~MessageFormat.PassThroughFlag), .. message[1..]],
            "flag set on a plain message" => [(byte)(message[0] | MessageFormat.PassThroughFlag), .. message[1..]],
            "truncated" => [(byte)(MessageFormat.Version | MessageFormat.PassThroughFlag), .. new byte[MessageFormat.Overhead + 7 - 1]],
            _ => throw new ArgumentOutOfRangeException(nameof(move)),
        };

        EnclaveIntegrityException failure = Assert.Throws<EnclaveIntegrityException>(() => pair.Open(moved));
        Assert.Contains("Boundary integrity violation", failure.Message);
    }

    [Fact]
    public void ThePartsContentIsTheSendersAndItsReaderMustAuthenticateIt()
    {
        // The boundary leaves the content to the format that made it (protected files' blocks
        // are AES-GCM sealed and checked against the file's tree after they are copied in).
        ChannelPair pair = NewPair(AeadImplementations.Names.First());
        pair.Writer.WritePassThrough(new byte[64]);
        byte[] message = pair.Seal();
        message[^10] ^= 1;

        WireReader reader = pair.Open(message);
        Assert.Equal(1, reader.ReadPassThrough()[^6]);
    }

    [Fact]
    public void AReaderThatDoesNotTakeThePartDoesNotEnd()
    {
        ChannelPair pair = NewPair(AeadImplementations.Names.First());
        pair.Writer.WriteInt32(1);
        pair.Writer.WritePassThrough([1, 2, 3]);
        WireReader reader = pair.Open(pair.Seal());
        Assert.Equal(1, reader.ReadInt32());
        EnclaveMarshallingException failure = Assert.Throws<EnclaveMarshallingException>(reader.EnsureEnd);
        Assert.Contains("3-byte pass-through part", failure.Message);
    }

    [Fact]
    public void ThePartIsTakenOnceAfterTheValuesAndOnlyWhereThereIsOne()
    {
        ChannelPair pair = NewPair(AeadImplementations.Names.First());
        pair.Writer.WriteInt32(1);
        pair.Writer.WritePassThrough([9]);
        WireReader early = pair.Open(pair.Seal());
        Assert.Throws<EnclaveMarshallingException>(() => early.ReadPassThrough());

        pair.Writer.WritePassThrough([9]);
        WireReader twice = pair.Open(pair.Seal());
        twice.ReadPassThrough();
        Assert.Throws<EnclaveMarshallingException>(() => twice.ReadPassThrough());

        pair.Writer.WriteInt32(1);
        WireReader none = pair.Open(pair.Seal());
        Assert.Equal(1, none.ReadInt32());
        Assert.Throws<EnclaveMarshallingException>(() => none.ReadPassThrough());
    }

    [Fact]
    public void TheWriterKeepsThePartLastWithinTheLimitAndFinished()
    {
        ChannelPair pair = NewPair(AeadImplementations.Names.First());
        pair.Writer.WritePassThrough([1]);
        Assert.Throws<InvalidOperationException>(() => pair.Writer.WriteInt32(2));
        Assert.Throws<InvalidOperationException>(() => pair.Writer.WritePassThrough([3]));

        pair.Writer.Reset();
        pair.Writer.BeginPassThrough(10);
        Assert.Throws<InvalidOperationException>(() => pair.Sender.Seal(pair.Writer, MessageKind.OcallResult, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => pair.Writer.EndPassThrough(11));

        pair.Writer.Reset();
        Assert.Throws<EnclaveMarshallingException>(() => pair.Writer.BeginPassThrough(MaxMessageBytes));

        // After a reset the writer makes plain messages again, and the channel's order holds.
        pair.Writer.Reset();
        pair.Writer.WriteInt32(5);
        WireReader reader = pair.Open(pair.Seal());
        Assert.Equal(5, reader.ReadInt32());
        reader.EnsureEnd();
    }

    private static byte[] WithClearLength(byte[] message, int length) => [.. message[..^4], .. LittleEndian(length)];

    private static byte[] LittleEndian(int value)
    {
        byte[] bytes = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, value);
        return bytes;
    }

    // The enclave's end of slot 0 sending OCALL requests, the host's end opening them.
    private static ChannelPair NewPair(string aead) => new(aead, MaxMessageBytes, BoundaryDirection.EnclaveToHost, MessageKind.OcallRequest, 0x1234);
}
