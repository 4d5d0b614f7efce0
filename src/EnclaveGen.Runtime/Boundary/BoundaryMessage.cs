namespace EnclaveGen;

/// <summary>A sealed message as it sits in untrusted memory: what a host can see of a crossing.</summary>
public readonly ref struct BoundaryMessage
{
    internal BoundaryMessage(BoundaryDirection direction, MessageKind kind, int slot, uint methodId, ulong sequence, ReadOnlySpan<byte> bytes)
    {
        Direction = direction;
        Kind = kind;
        Slot = slot;
        MethodId = methodId;
        Sequence = sequence;
        Bytes = bytes;
    }

    /// <summary>Which way the message travels.</summary>
    public BoundaryDirection Direction { get; }

    /// <summary>What the message carries (from its header, which is authenticated but not encrypted).</summary>
    public MessageKind Kind { get; }

    /// <summary>The thread slot the crossing runs on.</summary>
    public int Slot { get; }

    /// <summary>The method ID from the header.</summary>
    public uint MethodId { get; }

    /// <summary>The per-slot, per-direction sequence number from the header.</summary>
    public ulong Sequence { get; }

    /// <summary>The whole sealed message: header, ciphertext and tag.</summary>
    public ReadOnlySpan<byte> Bytes { get; }
}
