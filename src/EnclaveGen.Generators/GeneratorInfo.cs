namespace EnclaveGen.Generators;

/// <summary>Identifies the generator in the headers of the files it writes.</summary>
internal static class GeneratorInfo
{
    public const string Name = "EnclaveGen.Generators";
    public const string Version = "0.1.0";

    /// <summary>The EnclaveGen.Runtime support API version the emitted code calls.</summary>
    public const int SupportApiVersion = 1;
}
