using EnclaveGen.Generators.Model;

namespace EnclaveGen.Generators.Planning;

/// <summary>
/// How one boundary method crosses: the method, and the names of the locals its stubs declare,
/// chosen not to clash with its parameters. One per method, so a change to one method (or to a
/// type only it uses) replans only that method.
/// </summary>
internal sealed record CrossingPlan(MethodModel Method, LocalNames Locals);

/// <summary>Names of the locals generated stubs declare.</summary>
internal sealed record LocalNames(string Call, string Arguments, string Results, string ReturnValue, string Failure);
