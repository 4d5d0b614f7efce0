using System.Runtime.CompilerServices;
using EnclaveGen.Runtime.Boundary;
using EnclaveGen.Runtime.Tests.Crypto;
using EnclaveGen.Runtime.Wire;

namespace EnclaveGen.Runtime.Tests.Wire;

/// <summary>
/// <see cref="SlotChannel.Open"/> refuses every message that is not the next authentic one on its
/// slot in its direction, with the reason in the text, and a refusal leaves the channel where it
/// was: the genuine next message still opens, with the header it was sealed with.
/// </summary>
public sealed class SlotChannelRefusalTests
{
    private const int MaxMessageBytes = 4096;
    private const uint MethodId = 0xC0FFEE01;

    public static TheoryData<string, string, string> Refusals()
    {
        TheoryData<string, string, string> cases = [];
        foreach (string aead in AeadImplementations.Names)
        {
            cases.Add(aead, "version", "wire format version 2, expected 1");
            cases.Add(aead, "pass-through flag without a part", "is too short for a pass-through part (truncated)");
            cases.Add(aead, "slot", "a message for slot 1 arrived on slot 0");
            cases.Add(aead, "replay", "sequence 0 on slot 0 was already received (replay)");
            cases.Add(aead, "skip ahead", "sequence 2 on slot 0 arrived while 1 was expected (reordered or dropped)");
            cases.Add(aead, "truncated", "is shorter than the 32-byte header and tag (truncated)");
            cases.Add(aead, "over the limit", $"is over the {MaxMessageBytes}-byte limit");
            cases.Add(aead, "method ID bit", "message with sequence 1 on slot 0 failed authentication (tampered)");
            cases.Add(aead, "ciphertext bit", "failed authentication (tampered)");
            cases.Add(aead, "tag bit", "failed authentication (tampered)");
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(Refusals))]
    public void RefusedMessageNamesWhyAndLeavesTheChannelAsItWas(string aead, string change, string reason)
    {
        ChannelPair pair = NewPair(aead);
        byte[] first = Seal(pair, 11);
        byte[] second = Seal(pair, 22);
        byte[] third = Seal(pair, 33);
        Assert.Equal(11, pair.Open(first).ReadInt32());

        byte[] hostile = change switch
        {
            "version" => Altered(second, 0, _ => 2),
            "pass-through flag without a part" => Altered(second, 0, b => (byte)(b | MessageFormat.PassThroughFlag)),
            "slot" => Altered(second, 2, _ => 1),
            "replay" => first,
            "skip ahead" => third,
            "truncated" => second[..(MessageFormat.Overhead - 1)],
            "over the limit" => new byte[MaxMessageBytes + MessageFormat.Overhead + 1],
            "method ID bit" => Altered(second, 4, b => (byte)(b ^ 1)),
            "ciphertext bit" => Altered(second, MessageFormat.HeaderSize + 1, b => (byte)(b ^ 0x10)),
            "tag bit" => Altered(second, second.Length - 1, b => (byte)(b ^ 0x80)),
            _ => throw new ArgumentOutOfRangeException(nameof(change), change, "no such change"),
        };

        EnclaveIntegrityException refusal = Assert.Throws<EnclaveIntegrityException>(() => pair.Open(hostile));
        Assert.Contains(reason, refusal.Message);
        Assert.StartsWith("Boundary integrity violation: ", refusal.Message);

        MessageHeader header = pair.Open(second, out WireReader reader);
        Assert.Equal(22, reader.ReadInt32());
        reader.EnsureEnd();
        Assert.Equal(new MessageHeader(MessageFormat.Version, MessageKind.EcallRequest, 0, MethodId, 1), header);
    }

    [Theory]
    [InlineData(false, (ushort)0, 0u, 0ul)]
    [InlineData(true, (ushort)0, 0u, 0ul)]
    [InlineData(false, ushort.MaxValue, uint.MaxValue, ulong.MaxValue)]
    [InlineData(true, ushort.MaxValue, uint.MaxValue, ulong.MaxValue)]
    public void HeaderReadsBackAsWritten(bool passThrough, ushort slot, uint methodId, ulong sequence)
    {
        byte[] bytes = new byte[MessageFormat.HeaderSize];
        MessageFormat.WriteHeader(bytes, MessageKind.OcallResult, slot, methodId, sequence, passThrough);

        MessageHeader header = MessageFormat.ReadHeader(bytes);

        Assert.Equal(MessageFormat.Version, header.Version);
        Assert.Equal(passThrough, header.HasPassThrough);
        Assert.Equal(MessageKind.OcallResult, header.Kind);
        Assert.Equal(slot, header.Slot);
        Assert.Equal(methodId, header.MethodId);
        Assert.Equal(sequence, header.Sequence);
    }

    // Opening a message returns its header through three calls; at 16 bytes it comes back in two
    // registers instead of through memory (docs/performance.md).
    [Fact]
    public void HeaderStaysSixteenBytes() => Assert.Equal(16, Unsafe.SizeOf<MessageHeader>());

    private static byte[] Altered(byte[] message, int index, Func<byte, byte> change)
    {
        byte[] copy = (byte[])message.Clone();
        copy[index] = change(copy[index]);
        return copy;
    }

    // The host's end of slot 0 sealing ECALL requests, and the enclave's end opening them.
    private static ChannelPair NewPair(string aead) => new(aead, MaxMessageBytes, BoundaryDirection.HostToEnclave, MessageKind.EcallRequest, MethodId);

    private static byte[] Seal(ChannelPair pair, int value)
    {
        pair.Writer.WriteInt32(value);
        return pair.Seal();
    }
}
