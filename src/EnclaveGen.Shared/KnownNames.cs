namespace EnclaveGen.Shared;

/// <summary>Metadata names the generator and the analyzers look for; they bind to the Abstractions by name only.</summary>
internal static class KnownNames
{
    // The assemblies that ship the types below (the analyzers look each type up in its own assembly).
    public const string AbstractionsAssembly = "EnclaveGen.Abstractions";
    public const string RuntimeAssembly = "EnclaveGen.Runtime";
    public const string AttestationAssembly = "EnclaveGen.Attestation";

    public const string EnclaveAttribute = "EnclaveGen.EnclaveAttribute";
    public const string TrustedAttribute = "EnclaveGen.TrustedAttribute";
    public const string UntrustedAttribute = "EnclaveGen.UntrustedAttribute";
    public const string TrustedApplicationAttribute = "EnclaveGen.TrustedApplicationAttribute";
    public const string SecretAttribute = "EnclaveGen.SecretAttribute";
    public const string UnsafeUserCheckAttribute = "EnclaveGen.UnsafeUserCheckAttribute";
    public const string Secrets = "EnclaveGen.Secrets";
    public const string DeclassifyMethod = "Declassify";
}
