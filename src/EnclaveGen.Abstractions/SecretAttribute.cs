namespace EnclaveGen;

/// <summary>
/// Marks data that must not leave the enclave in the clear. The leak analyzers follow it from
/// here to every place it could cross the boundary; <see cref="Secrets.Declassify{T}"/> is the
/// only way to release it on purpose.
/// </summary>
[AttributeUsage(
    AttributeTargets.Parameter | AttributeTargets.Field | AttributeTargets.Property | AttributeTargets.ReturnValue,
    AllowMultiple = false,
    Inherited = false)]
public sealed class SecretAttribute : Attribute
{
}
