using Microsoft.CodeAnalysis;

namespace EnclaveGen.Shared.Validation;

/// <summary>One thing wrong with an enclave declaration: reported by the analyzer, skipped by the generator.</summary>
/// <remarks>Holds a <see cref="Location"/>, so it never enters an incremental model.</remarks>
internal sealed class ValidationProblem
{
    public ValidationProblem(DiagnosticDescriptor descriptor, Location location, params object[] arguments)
    {
        Descriptor = descriptor;
        Location = location;
        Arguments = arguments;
    }

    public DiagnosticDescriptor Descriptor { get; }

    public Location Location { get; }

    public object[] Arguments { get; }

    /// <summary>Errors make the generator skip the declaration; warnings do not.</summary>
    public bool IsError => Descriptor.DefaultSeverity == DiagnosticSeverity.Error;

    public Diagnostic ToDiagnostic() => Diagnostic.Create(Descriptor, Location, Arguments);
}
