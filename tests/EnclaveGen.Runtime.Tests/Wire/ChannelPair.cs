using System.Security.Cryptography;
using EnclaveGen.Runtime.Boundary;
using EnclaveGen.Runtime.Crypto;
using EnclaveGen.Runtime.Tests.Crypto;
using EnclaveGen.Runtime.Wire;

namespace EnclaveGen.Runtime.Tests.Wire;

/// <summary>
/// The two ends of slot 0 under one key, for tests that seal and open messages without a runtime:
/// a sender (sending in <c>sending</c>) with its writer, and a receiver (the other direction's end)
/// with its reader. Every message is sealed as <c>kind</c> for <c>methodId</c>.
/// </summary>
internal sealed class ChannelPair
{
    private readonly SlotChannel _receiver;
    private readonly WireReader _reader;
    private readonly MessageKind _kind;
    private readonly uint _methodId;

    public ChannelPair(string aead, int maxMessageBytes, BoundaryDirection sending, MessageKind kind, uint methodId)
    {
        IBoundaryAead cipher = AeadImplementations.Create(aead, RandomNumberGenerator.GetBytes(BoundaryAead.KeySize));
        BoundaryDirection receiving = sending == BoundaryDirection.HostToEnclave ? BoundaryDirection.EnclaveToHost : BoundaryDirection.HostToEnclave;
        Sender = new SlotChannel(cipher, sending, 0, maxMessageBytes);
        _receiver = new SlotChannel(cipher, receiving, 0, maxMessageBytes);
        Writer = new WireWriter(maxMessageBytes, channel: Sender);
        _reader = new WireReader(maxMessageBytes);
        _kind = kind;
        _methodId = methodId;
    }

    public SlotChannel Sender { get; }

    public WireWriter Writer { get; }

    /// <summary>Seals what the writer holds and starts it on the next message.</summary>
    public byte[] Seal()
    {
        int length = Sender.Seal(Writer, _kind, _methodId);
        byte[] message = Writer.Buffer.AsSpan(0, length).ToArray();
        Writer.Reset();
        return message;
    }

    public WireReader Open(byte[] message)
    {
        _receiver.Open(message, _reader);
        return _reader;
    }

    /// <summary>Opens <paramref name="message"/> and returns the header it was sealed with.</summary>
    public MessageHeader Open(byte[] message, out WireReader reader)
    {
        MessageHeader header = _receiver.Open(message, _reader);
        reader = _reader;
        return header;
    }
}
