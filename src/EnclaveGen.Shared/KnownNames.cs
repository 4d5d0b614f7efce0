namespace EnclaveGen.Shared;

/// <summary>Metadata names the generator and the analyzers look for; they bind to the Abstractions by name only.</summary>
internal static class KnownNames
{
    public const string EnclaveAttribute = "EnclaveGen.EnclaveAttribute";
    public const string TrustedAttribute = "EnclaveGen.TrustedAttribute";
    public const string UntrustedAttribute = "EnclaveGen.UntrustedAttribute";
    public const string SecretAttribute = "EnclaveGen.SecretAttribute";
    public const string UnsafeUserCheckAttribute = "EnclaveGen.UnsafeUserCheckAttribute";
    public const string Secrets = "EnclaveGen.Secrets";
    public const string DeclassifyMethod = "Declassify";
}
