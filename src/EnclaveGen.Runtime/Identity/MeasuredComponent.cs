namespace EnclaveGen.Runtime.Identity;

/// <summary>
/// One assembly that went into a measurement: its simple name and the SHA-256 of its image, or
/// <see langword="null"/> when it was referenced but absent from the folder (recorded as absent,
/// so adding it later changes the measurement).
/// </summary>
/// <param name="AssemblyName">Simple assembly name.</param>
/// <param name="ImageHash">SHA-256 of the file's bytes, or null when absent.</param>
/// <param name="PdbPath">The PDB path recorded in the image (diagnostics only; not measured separately, not stored in signature files).</param>
public sealed record MeasuredComponent(string AssemblyName, EnclaveHash? ImageHash, string? PdbPath = null)
{
    /// <summary>The hash as hex, or <c>absent</c>.</summary>
    public string Describe() => ImageHash?.ToString() ?? "absent";
}
