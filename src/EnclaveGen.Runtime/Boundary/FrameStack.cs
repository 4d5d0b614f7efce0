using System.Runtime.CompilerServices;

namespace EnclaveGen.Runtime.Boundary;

/// <summary>
/// The frames of one thread slot, one per nesting level: an ECALL, an ECALL the host makes while it
/// serves that ECALL's OCALL, and so on, up to <see cref="EnclaveOptions.MaxNestingDepth"/>. Both
/// ends of a slot keep one, the host's of host frames and the enclave's of enclave frames; frames
/// are made on first use and reused, so a crossing in steady state allocates nothing.
/// </summary>
internal sealed class FrameStack<TFrame>(int slot, int maxDepth, Func<int, TFrame> create)
    where TFrame : class
{
    private readonly List<TFrame> _frames = [];

    /// <summary>Index of the innermost frame, or -1 when no ECALL runs on the slot.</summary>
    public int Depth { get; private set; } = -1;

    public TFrame Current => _frames[Depth];

    /// <summary>The frame one level out (whose OCALL the current ECALL came through), or null at the outermost level.</summary>
    public TFrame? Outer => Depth > 0 ? _frames[Depth - 1] : null;

    public TFrame Push()
    {
        if (Depth + 1 >= maxDepth)
        {
            throw TooDeep(Depth + 1, slot);
        }

        Depth++;
        if (Depth == _frames.Count)
        {
            _frames.Add(create(Depth));
        }

        return _frames[Depth];
    }

    public void Pop() => Depth--;

    // Built out of line: Push runs at every crossing, and the message's formatting weighed on it.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static EnclaveMarshallingException TooDeep(int depth, int slot) => new(
        $"ECALLs nested {depth} deep inside OCALLs on slot {slot}, the limit set by EnclaveOptions.MaxNestingDepth. " +
        "Look for an OCALL implementation that calls back into the enclave recursively.");
}
