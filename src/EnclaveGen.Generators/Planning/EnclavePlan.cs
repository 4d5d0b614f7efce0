using EnclaveGen.Generators.Model;
using EnclaveGen.Shared.Validation;

namespace EnclaveGen.Generators.Planning;

/// <summary>An enclave ready to emit: its model, its build settings, a crossing plan per method, and every shape they use.</summary>
internal sealed record EnclavePlan(
    EnclaveModel Enclave,
    BuildSettings Settings,
    EquatableArray<CrossingPlan> Ecalls,
    EquatableArray<CrossingPlan> Ocalls,
    EquatableArray<TypeShapeModel> Shapes);
