namespace EnclaveGen.Runtime.Boundary;

/// <summary>The authenticated header of a boundary message.</summary>
internal readonly record struct MessageHeader(byte Version, MessageKind Kind, ushort Slot, uint MethodId, ulong Sequence);
