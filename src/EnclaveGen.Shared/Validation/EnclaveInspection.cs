using Microsoft.CodeAnalysis;

namespace EnclaveGen.Shared.Validation;

/// <summary>The verdict on one [Enclave] class: problems with the class, and each boundary method with its own.</summary>
internal sealed class EnclaveInspection
{
    public EnclaveInspection(INamedTypeSymbol type) => Type = type;

    public INamedTypeSymbol Type { get; }

    /// <summary>Problems that make the whole enclave ungeneratable.</summary>
    public List<ValidationProblem> ClassProblems { get; } = [];

    public List<BoundaryMethodInspection> Methods { get; } = [];

    /// <summary>The generator emits the enclave only when this is true.</summary>
    public bool IsGeneratable => !ClassProblems.Any(problem => problem.IsError);

    public IEnumerable<ValidationProblem> AllProblems => ClassProblems.Concat(Methods.SelectMany(method => method.Problems));
}
