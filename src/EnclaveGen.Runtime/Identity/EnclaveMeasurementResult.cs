namespace EnclaveGen.Runtime.Identity;

/// <summary>The measurement of one enclave class: MRENCLAVE and everything that went into it.</summary>
public sealed class EnclaveMeasurementResult
{
    internal EnclaveMeasurementResult(EnclaveDefinition definition, EnclaveHash mrenclave, MeasuredComponent library, IReadOnlyList<MeasuredComponent> dependencies)
    {
        Definition = definition;
        Mrenclave = mrenclave;
        Library = library;
        Dependencies = dependencies;
    }

    /// <summary>The enclave class and its configuration.</summary>
    public EnclaveDefinition Definition { get; }

    /// <summary>The enclave's measurement.</summary>
    public EnclaveHash Mrenclave { get; }

    /// <summary>The enclave library itself.</summary>
    public MeasuredComponent Library { get; }

    /// <summary>The non-framework assemblies it references, directly or through each other, sorted by name.</summary>
    public IReadOnlyList<MeasuredComponent> Dependencies { get; }

    /// <summary>The library followed by its dependencies.</summary>
    public IEnumerable<MeasuredComponent> Components => Dependencies.Prepend(Library);
}
