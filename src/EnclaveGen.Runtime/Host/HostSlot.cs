using EnclaveGen.Runtime.Boundary;
using EnclaveGen.Runtime.Wire;

namespace EnclaveGen.Runtime.Host;

/// <summary>
/// The host's side of one thread slot: its channel end and its frames. The enclave's side
/// (<see cref="Enclave.EnclaveSlot"/>) keeps the same frame stack; the two stay separate classes
/// because each side's slot holds what only that side may hold (here the connection, there the
/// enclave's call context).
/// </summary>
internal sealed class HostSlot
{
    private readonly FrameStack<HostFrame> _frames;

    public HostSlot(int index, SlotChannel channel, EnclaveOptions options, SharedReferences.Table? shared)
    {
        Index = index;
        Channel = channel;
        _frames = new FrameStack<HostFrame>(index, options.MaxNestingDepth, depth =>
        {
            HostFrame frame = new(options, channel);
            frame.Writer.Shared = shared?[index, depth];
            return frame;
        });
    }

    public int Index { get; }

    /// <summary>The connection this slot belongs to (a thread may serve OCALLs of several enclaves).</summary>
    public Generated.EnclaveConnection? Connection { get; init; }

    public SlotChannel Channel { get; }

    /// <summary>Index of the innermost ECALL on this slot, or -1 when the slot is free.</summary>
    public int Depth => _frames.Depth;

    public HostFrame Current => _frames.Current;

    public HostFrame Push() => _frames.Push();

    public void Pop() => _frames.Pop();
}
