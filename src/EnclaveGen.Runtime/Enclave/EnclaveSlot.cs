using EnclaveGen.Runtime.Boundary;
using EnclaveGen.Runtime.Wire;

namespace EnclaveGen.Runtime.Enclave;

/// <summary>
/// The enclave's side of one thread slot (SGX's TCS): its channel end, its call context, and a
/// stack of frames for ECALLs nested inside OCALLs.
/// </summary>
internal sealed class EnclaveSlot
{
    private readonly List<EnclaveFrame> _frames = [];
    private readonly EnclaveOptions _options;
    private readonly int _maxDepth;

    private readonly SharedReferences.Table? _shared;

    public EnclaveSlot(EnclaveInstance enclave, int index, SlotChannel channel, EnclaveOptions options, SharedReferences.Table? shared)
    {
        _shared = shared;
        Index = index;
        Channel = channel;
        _options = options;
        _maxDepth = options.MaxNestingDepth;
        Context = new EnclaveCallContext(enclave, this);
        ExecutionContext = Context.CreateExecutionContext();
    }

    public int Index { get; }

    public SlotChannel Channel { get; }

    public EnclaveCallContext Context { get; }

    public ExecutionContext ExecutionContext { get; }

    /// <summary>Index of the running frame, or -1 when no ECALL runs on this slot.</summary>
    public int Depth { get; private set; } = -1;

    public EnclaveFrame Current => _frames[Depth];

    /// <summary>The frame whose OCALL the running nested ECALL came through, or null at the outermost level.</summary>
    public EnclaveFrame? Caller => Depth > 0 ? _frames[Depth - 1] : null;

    public EnclaveFrame Push()
    {
        if (Depth + 1 >= _maxDepth)
        {
            throw new EnclaveMarshallingException(
                $"ECALLs nested {Depth + 1} deep inside OCALLs on slot {Index}, the limit set by EnclaveOptions.MaxNestingDepth. " +
                "Look for an OCALL implementation that calls back into the enclave recursively.");
        }

        Depth++;
        if (Depth == _frames.Count)
        {
            EnclaveFrame frame = new(_options, Channel);
            frame.Arguments.Shared = _shared?[Index, Depth];
            _frames.Add(frame);
        }

        return _frames[Depth];
    }

    public void Pop() => Depth--;
}
