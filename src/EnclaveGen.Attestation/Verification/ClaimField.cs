namespace EnclaveGen.Attestation.Verification;

/// <summary>
/// One claim as its claims type describes it: the JSON name, the label people read, and the value.
/// A claims type lists its fields once (<see cref="AttestationClaims.Fields"/>) and every renderer
/// walks that list, so text and JSON output cannot drift apart.
/// </summary>
/// <param name="Name">The JSON property name (camelCase, stable).</param>
/// <param name="Label">The label for text output (for example "uniqueId (MRENCLAVE)").</param>
/// <param name="Value">The value.</param>
public sealed record ClaimField(string Name, string Label, ClaimValue Value);
