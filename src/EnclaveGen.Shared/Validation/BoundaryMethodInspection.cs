using Microsoft.CodeAnalysis;

namespace EnclaveGen.Shared.Validation;

/// <summary>The verdict on one [Trusted] or [Untrusted] method.</summary>
internal sealed class BoundaryMethodInspection
{
    public BoundaryMethodInspection(IMethodSymbol method, BoundaryKind kind, string signature)
    {
        Method = method;
        Kind = kind;
        Signature = signature;
        Id = MethodSignature.Id(signature);
    }

    public IMethodSymbol Method { get; }

    public BoundaryKind Kind { get; }

    public string Signature { get; }

    public uint Id { get; }

    public List<ValidationProblem> Problems { get; } = [];

    /// <summary>Set when the method cannot be generated but the compiler, not EnclaveGen, says why.</summary>
    public bool HasCompilerError { get; set; }

    /// <summary>The generator emits the method only when this is true.</summary>
    public bool IsGeneratable => !Problems.Any(problem => problem.IsError) && !HasCompilerError;
}
