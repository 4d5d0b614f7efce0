using System.Text.Json.Serialization;

namespace EnclaveGen.Cli.Commands.Boundary;

/// <summary>
/// One enclave's boundary as the generator records it in the enclave library (the constant
/// <c>EnclaveGenBoundary</c> of the [Enclave] class, JSON format version 1; docs/cli.md#boundary).
/// </summary>
internal sealed record BoundaryManifest(
    int Version,
    string Enclave,
    int MaxThreads,
    long HeapLimitBytes,
    bool Debug,
    IReadOnlyList<Crossing> Ecalls,
    IReadOnlyList<Crossing> Ocalls);

/// <summary>
/// An ECALL or OCALL. <see cref="AllowedDuring"/> (private ECALLs) names the OCALLs during which the
/// host may call it; <see cref="Allows"/> (OCALLs) names the private ECALLs the host may call while
/// it serves this one (EDL <c>allow</c>).
/// </summary>
internal sealed record Crossing(
    string Name,
    string Id,
    bool Private,
    bool Async,
    CrossingResult? Returns,
    IReadOnlyList<CrossingParameter> Parameters,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? AllowedDuring = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Allows = null);

/// <summary>What a crossing returns, and whether it is declared [return: Secret].</summary>
internal sealed record CrossingResult(string Type, bool Secret);

/// <summary>
/// A parameter: its direction (<c>in</c>, <c>out</c>, <c>in_out</c>, <c>out_sized_by_caller</c> or
/// <c>not_marshalled</c>), [Secret], and [UnsafeUserCheck] (EDL user_check: not copied).
/// </summary>
internal sealed record CrossingParameter(string Name, string Type, string Direction, bool Secret, bool UserCheck);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, RespectRequiredConstructorParameters = true, RespectNullableAnnotations = true)]
[JsonSerializable(typeof(BoundaryManifest))]
internal sealed partial class BoundaryJsonContext : JsonSerializerContext;
