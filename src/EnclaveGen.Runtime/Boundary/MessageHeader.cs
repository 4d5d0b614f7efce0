namespace EnclaveGen.Runtime.Boundary;

/// <summary>
/// The authenticated header of a boundary message, its fields as read: <paramref name="VersionByte"/>
/// holds the format version and <see cref="MessageFormat.PassThroughFlag"/>, set when a
/// pass-through part follows the tag.
/// </summary>
/// <remarks>
/// Sixteen bytes on purpose, so a method returns it in two registers. With the flag as a field of
/// its own it took 24, came back through memory, and was copied again at each level a message is
/// opened through (docs/performance.md).
/// </remarks>
internal readonly record struct MessageHeader(byte VersionByte, MessageKind Kind, ushort Slot, uint MethodId, ulong Sequence)
{
    /// <summary>The format version, without the pass-through flag.</summary>
    public byte Version => (byte)(VersionByte & ~MessageFormat.PassThroughFlag);

    /// <summary>Whether a pass-through part follows the tag.</summary>
    public bool HasPassThrough => (VersionByte & MessageFormat.PassThroughFlag) != 0;
}
