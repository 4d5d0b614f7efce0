using EnclaveGen.Generators.Model;

namespace EnclaveGen.Generators.Planning;

/// <summary>
/// How one boundary method crosses: what the caller writes (inputs, in parameter order) and
/// what comes back (the return value first, then ref and out parameters in order), plus local
/// names that cannot clash with the method's parameters.
/// </summary>
/// <param name="Method">The method.</param>
/// <param name="MemberName">A name unique within the enclave (the method's name, or name and ID for overloads),
/// for the method-ID constant and the dispatcher's helper.</param>
/// <param name="Inputs">What the caller writes.</param>
/// <param name="Outputs">What comes back.</param>
/// <param name="Locals">Local names.</param>
internal sealed record CrossingPlan(
    MethodModel Method,
    string MemberName,
    EquatableArray<ValuePlan> Inputs,
    EquatableArray<ValuePlan> Outputs,
    LocalNames Locals);

/// <summary>Names of the locals generated stubs declare, chosen not to clash with parameter names.</summary>
internal sealed record LocalNames(string Call, string Arguments, string Results, string ReturnValue);
