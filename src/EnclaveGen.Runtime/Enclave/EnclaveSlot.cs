using EnclaveGen.Runtime.Boundary;
using EnclaveGen.Runtime.Wire;

namespace EnclaveGen.Runtime.Enclave;

/// <summary>
/// The enclave's side of one thread slot (SGX's TCS): its channel end, its call context, and its
/// frames for ECALLs nested inside OCALLs. The frame stack is the one the host's side
/// (<see cref="Host.HostSlot"/>) keeps too; the call context and its execution context exist only
/// here, on the trusted side.
/// </summary>
internal sealed class EnclaveSlot
{
    private readonly FrameStack<EnclaveFrame> _frames;

    public EnclaveSlot(EnclaveInstance enclave, int index, SlotChannel channel, EnclaveOptions options, SharedReferences.Table? shared)
    {
        Index = index;
        Channel = channel;
        _frames = new FrameStack<EnclaveFrame>(index, options.MaxNestingDepth, depth =>
        {
            EnclaveFrame frame = new(options, channel);
            frame.Arguments.Shared = shared?[index, depth];
            return frame;
        });
        Context = new EnclaveCallContext(enclave, this);
        ExecutionContext = Context.CreateExecutionContext();
    }

    public int Index { get; }

    public SlotChannel Channel { get; }

    public EnclaveCallContext Context { get; }

    public ExecutionContext ExecutionContext { get; }

    /// <summary>Index of the running frame, or -1 when no ECALL runs on this slot.</summary>
    public int Depth => _frames.Depth;

    public EnclaveFrame Current => _frames.Current;

    /// <summary>The frame whose OCALL the running nested ECALL came through, or null at the outermost level.</summary>
    public EnclaveFrame? Caller => _frames.Outer;

    public EnclaveFrame Push() => _frames.Push();

    public void Pop() => _frames.Pop();
}
