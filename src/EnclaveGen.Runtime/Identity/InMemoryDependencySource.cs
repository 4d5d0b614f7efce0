namespace EnclaveGen.Runtime.Identity;

/// <summary>Resolves referenced assemblies from images held in memory, by simple name (case-insensitive).</summary>
public sealed class InMemoryDependencySource : IEnclaveDependencySource
{
    private readonly Dictionary<string, ReadOnlyMemory<byte>> _images;

    /// <summary>Resolves from <paramref name="images"/>, keyed by simple assembly name.</summary>
    public InMemoryDependencySource(IEnumerable<KeyValuePair<string, ReadOnlyMemory<byte>>> images)
    {
        ArgumentNullException.ThrowIfNull(images);
        _images = new Dictionary<string, ReadOnlyMemory<byte>>(images, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>A source with no images: every non-framework reference measures as absent.</summary>
    public static InMemoryDependencySource Empty { get; } = new([]);

    /// <inheritdoc />
    public bool TryReadImage(string assemblySimpleName, out ReadOnlyMemory<byte> image) => _images.TryGetValue(assemblySimpleName, out image);
}
