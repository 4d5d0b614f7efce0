namespace EnclaveGen;

/// <summary>
/// Marks an instance method of an <see cref="EnclaveAttribute"/> class as an ECALL: the host
/// calls it through the generated proxy and it runs inside the enclave.
/// </summary>
/// <remarks>
/// A <c>private</c> [Trusted] method is a private ECALL, as in EDL: the host may call it only
/// while an OCALL that lists it in <see cref="UntrustedAttribute.Allow"/> is running.
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class TrustedAttribute : Attribute
{
}
