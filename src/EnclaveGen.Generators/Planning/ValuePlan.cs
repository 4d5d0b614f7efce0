using EnclaveGen.Generators.Model;

namespace EnclaveGen.Generators.Planning;

/// <summary>One value that crosses in a message: a parameter or the return value.</summary>
/// <param name="Name">The parameter's name, or the local that holds the return value.</param>
/// <param name="Type">Its type.</param>
/// <param name="IsReturn">Whether it is the return value.</param>
internal sealed record ValuePlan(string Name, TypeModel Type, bool IsReturn);
