namespace EnclaveGen.Runtime.Wire;

/// <summary>Defaults for the limits the wire enforces.</summary>
internal static class WireLimits
{
    public const int DefaultMaxObjectDepth = 64;
}
