namespace EnclaveGen.Attestation;

/// <summary>
/// The evidence bytes do not have the expected layout: a field is truncated, a length field points
/// outside the buffer, a reserved area is not zero, a version is unknown, or bytes are left over.
/// </summary>
public sealed class EvidenceFormatException : AttestationException
{
    /// <summary>Creates the exception for a field of a structure at an offset.</summary>
    /// <param name="structure">The structure being read, for example <c>SGX quote v3</c>.</param>
    /// <param name="field">The field that is wrong, for example <c>signature data length</c>.</param>
    /// <param name="offset">The byte offset of the field in the evidence, or -1 when not applicable.</param>
    /// <param name="problem">What is wrong, with the expected and the found value.</param>
    public EvidenceFormatException(string structure, string field, int offset, string problem)
        : base("format", Describe(structure, field, offset, problem), null)
    {
        Structure = structure;
        Field = field;
        Offset = offset;
    }

    /// <summary>The structure being read, for example <c>SGX quote v3</c>.</summary>
    public string Structure { get; }

    /// <summary>The field that is wrong.</summary>
    public string Field { get; }

    /// <summary>The byte offset of the field in the evidence, or -1 when not applicable.</summary>
    public int Offset { get; }

    private static string Describe(string structure, string field, int offset, string problem) =>
        offset >= 0
            ? $"format: {structure}, field '{field}' at offset {offset} (0x{offset:x}): {problem}"
            : $"format: {structure}, field '{field}': {problem}";
}
