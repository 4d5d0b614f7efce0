using EnclaveGen.Runtime.Boundary;
using EnclaveGen.Runtime.Wire;

namespace EnclaveGen.Runtime.Host;

/// <summary>The host's side of one thread slot: its channel end and a stack of frames for nested ECALLs.</summary>
internal sealed class HostSlot
{
    private readonly List<HostFrame> _frames = [];
    private readonly EnclaveOptions _options;
    private readonly int _maxDepth;

    private readonly SharedReferences.Table? _shared;

    public HostSlot(int index, SlotChannel channel, EnclaveOptions options, SharedReferences.Table? shared)
    {
        _shared = shared;
        Index = index;
        Channel = channel;
        _options = options;
        _maxDepth = options.MaxNestingDepth;
    }

    public int Index { get; }

    /// <summary>The connection this slot belongs to (a thread may serve OCALLs of several enclaves).</summary>
    public Generated.EnclaveConnection? Connection { get; init; }

    public SlotChannel Channel { get; }

    /// <summary>Index of the innermost ECALL on this slot, or -1 when the slot is free.</summary>
    public int Depth { get; private set; } = -1;

    public HostFrame Current => _frames[Depth];

    public HostFrame Push()
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
            HostFrame frame = new(_options, Channel);
            frame.Writer.Shared = _shared?[Index, Depth];
            _frames.Add(frame);
        }

        return _frames[Depth];
    }

    public void Pop() => Depth--;
}
