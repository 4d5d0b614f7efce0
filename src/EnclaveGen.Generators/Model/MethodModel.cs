using EnclaveGen.Shared.Marshalling;

namespace EnclaveGen.Generators.Model;

/// <summary>One [Trusted] or [Untrusted] method, as the generated code needs it.</summary>
/// <param name="Enclave">The full metadata name of its enclave class.</param>
/// <param name="IsEcall">[Trusted] (an ECALL) or [Untrusted] (an OCALL).</param>
/// <param name="Index">Its position among the enclave's ECALLs or OCALLs, for stable ordering.</param>
/// <param name="Name">The method's name.</param>
/// <param name="MemberName">A name unique within the enclave (name, or name and ID for overloads).</param>
/// <param name="Id">The method ID (hash of <paramref name="Signature"/>).</param>
/// <param name="Signature">The canonical signature.</param>
/// <param name="Accessibility">The declared accessibility keywords (e.g. "private").</param>
/// <param name="ReturnType">The declared return type (a task type for asynchronous methods).</param>
/// <param name="Parameters">The parameters, in order.</param>
/// <param name="Shapes">Every struct, sealed class or record its values contain, so a change to one regenerates exactly the methods that use it.</param>
/// <param name="AllowedDuring">For a private ECALL, the OCALLs during which the host may call it; empty otherwise.</param>
/// <param name="ReturnsSecret">The result is declared [return: Secret]; only the boundary manifest shows it.</param>
internal sealed record MethodModel(
    string Enclave,
    bool IsEcall,
    int Index,
    string Name,
    string MemberName,
    uint Id,
    string Signature,
    string Accessibility,
    TypeModel ReturnType,
    EquatableArray<ParameterModel> Parameters,
    EquatableArray<TypeShapeModel> Shapes,
    EquatableArray<uint> AllowedDuring,
    bool ReturnsSecret = false)
{
    public bool IsAsync => ReturnType.Kind == MarshalKind.Task;

    /// <summary>What comes back as the call's value: the return type, or a task's result; null for none.</summary>
    public TypeModel? Result => IsAsync ? ReturnType.Element : ReturnType.IsVoid ? null : ReturnType;

    public ParameterModel? CancellationToken => Parameters.FirstOrDefault(parameter => parameter.IsCancellationToken);
}
