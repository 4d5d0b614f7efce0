using System.Collections.Immutable;
using EnclaveGen.Generators.Model;
using EnclaveGen.Shared.Validation;

namespace EnclaveGen.Generators.Planning;

/// <summary>Plans each method's crossing, then assembles each enclave's plans: pure functions of the models.</summary>
internal static class CrossingPlanner
{
    public static CrossingPlan Plan(MethodModel method)
    {
        HashSet<string> taken = new(method.Parameters.Select(parameter => parameter.Name.TrimStart('@')), StringComparer.Ordinal);
        return new CrossingPlan(
            method,
            new LocalNames(
                Call: Unique("call", taken),
                Arguments: Unique("arguments", taken),
                Results: Unique("results", taken),
                ReturnValue: Unique("result", taken),
                Failure: Unique("failure", taken)));
    }

    /// <summary>Groups the method plans back into one plan per enclave, in declaration order.</summary>
    public static IEnumerable<EnclavePlan> Assemble(ImmutableArray<EnclaveModel> enclaves, ImmutableArray<CrossingPlan> plans, BuildSettings? settings)
    {
        if (settings is null)
        {
            yield break;
        }

        ILookup<string, CrossingPlan> byEnclave = plans.ToLookup(plan => plan.Method.Enclave, StringComparer.Ordinal);
        foreach (EnclaveModel enclave in enclaves)
        {
            CrossingPlan[] mine = byEnclave[enclave.MetadataName].ToArray();
            EquatableArray<TypeShapeModel> shapes = mine
                .SelectMany(plan => plan.Method.Shapes)
                .GroupBy(shape => shape.Id, StringComparer.Ordinal)
                .Select(group => group.First())
                .ToEquatableArray();
            yield return new EnclavePlan(
                enclave,
                settings,
                mine.Where(plan => plan.Method.IsEcall).OrderBy(plan => plan.Method.Index).ToEquatableArray(),
                mine.Where(plan => !plan.Method.IsEcall).OrderBy(plan => plan.Method.Index).ToEquatableArray(),
                shapes);
        }
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
