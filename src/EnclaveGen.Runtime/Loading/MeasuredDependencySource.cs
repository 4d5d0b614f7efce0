using EnclaveGen.Runtime.Identity;

namespace EnclaveGen.Runtime.Loading;

/// <summary>
/// Reads each referenced assembly once, through the source the measurement resolves from, and keeps
/// what it read: after the measurement, these are exactly the bytes it hashed (and the names it
/// found absent), so the loader can load those bytes and nothing else.
/// </summary>
internal sealed class MeasuredDependencySource(IEnclaveDependencySource source) : IEnclaveDependencySource
{
    private readonly Dictionary<string, ReadOnlyMemory<byte>?> _read = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Every name the measurement asked for: its bytes, or null where it was absent.</summary>
    public IReadOnlyDictionary<string, ReadOnlyMemory<byte>?> Read => _read;

    public bool TryReadImage(string assemblySimpleName, out ReadOnlyMemory<byte> image)
    {
        if (!_read.TryGetValue(assemblySimpleName, out ReadOnlyMemory<byte>? recorded))
        {
            // The cast matters: a bare null would convert to an empty ReadOnlyMemory (through byte[]).
            recorded = source.TryReadImage(assemblySimpleName, out ReadOnlyMemory<byte> bytes) ? (ReadOnlyMemory<byte>?)bytes : null;
            _read[assemblySimpleName] = recorded;
        }

        image = recorded ?? default;
        return recorded is not null;
    }
}
