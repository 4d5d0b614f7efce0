namespace EnclaveGen;

/// <summary>
/// Marks an instance method of an <see cref="EnclaveAttribute"/> class as an ECALL: the host
/// calls it through the generated proxy and it runs inside the enclave.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class TrustedAttribute : Attribute
{
}
