namespace EnclaveGen.Generators.Model;

/// <summary>One [Trusted] or [Untrusted] method, as the generated code needs it.</summary>
/// <param name="Name">The method's name.</param>
/// <param name="Id">The method ID (hash of <paramref name="Signature"/>).</param>
/// <param name="Signature">The canonical signature.</param>
/// <param name="Accessibility">The declared accessibility keywords, for the OCALL stub's implementation part (e.g. "private").</param>
/// <param name="ReturnType">The return type.</param>
/// <param name="Parameters">The parameters, in order.</param>
internal sealed record MethodModel(
    string Name,
    uint Id,
    string Signature,
    string Accessibility,
    TypeModel ReturnType,
    EquatableArray<ParameterModel> Parameters);
