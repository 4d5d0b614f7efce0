namespace EnclaveGen.Runtime.Boundary;

/// <summary>The authenticated header of a boundary message; <paramref name="HasPassThrough"/> when a pass-through part follows the tag.</summary>
internal readonly record struct MessageHeader(byte Version, MessageKind Kind, ushort Slot, uint MethodId, ulong Sequence, bool HasPassThrough = false);
