using EnclaveGen.Generators.Model;
using EnclaveGen.Shared.Validation;

namespace EnclaveGen.Generators.Planning;

/// <summary>Plans each boundary method's messages: a pure function of the model.</summary>
internal static class CrossingPlanner
{
    public static EnclavePlan Plan(EnclaveModel enclave, BuildSettings settings)
    {
        // Overloads, and an ECALL and an OCALL of the same name, share one name space of constants.
        HashSet<string> repeated = new(
            enclave.Trusted.Concat(enclave.Untrusted).GroupBy(method => method.Name).Where(group => group.Count() > 1).Select(group => group.Key),
            StringComparer.Ordinal);
        return new EnclavePlan(
            enclave,
            settings,
            enclave.Trusted.Select(method => Plan(method, repeated)).ToEquatableArray(),
            enclave.Untrusted.Select(method => Plan(method, repeated)).ToEquatableArray());
    }

    private static CrossingPlan Plan(MethodModel method, HashSet<string> repeatedNames)
    {
        string memberName = repeatedNames.Contains(method.Name) ? $"{method.Name}_{method.Id:x8}" : method.Name;
        HashSet<string> taken = new(method.Parameters.Select(parameter => parameter.Name), StringComparer.Ordinal);
        LocalNames locals = new(
            Call: Unique("call", taken),
            Arguments: Unique("arguments", taken),
            Results: Unique("results", taken),
            ReturnValue: Unique("result", taken));

        List<ValuePlan> inputs = method.Parameters
            .Where(parameter => parameter.CopiedIn)
            .Select(parameter => new ValuePlan(parameter.Name, parameter.Type, IsReturn: false))
            .ToList();

        List<ValuePlan> outputs = [];
        if (!method.ReturnType.IsVoid)
        {
            outputs.Add(new ValuePlan(locals.ReturnValue, method.ReturnType, IsReturn: true));
        }

        outputs.AddRange(method.Parameters
            .Where(parameter => parameter.CopiedOut)
            .Select(parameter => new ValuePlan(parameter.Name, parameter.Type, IsReturn: false)));

        return new CrossingPlan(method, memberName, inputs.ToEquatableArray(), outputs.ToEquatableArray(), locals);
    }

    private static string Unique(string name, HashSet<string> taken)
    {
        string candidate = name;
        while (taken.Contains(candidate))
        {
            candidate += "_";
        }

        taken.Add(candidate);
        return candidate;
    }
}
