namespace EnclaveGen;

/// <summary>
/// Marks a <c>partial</c> class as an enclave: its instance and fields live inside the trusted
/// boundary, and the host reaches it only through the generated <c>Proxy</c>.
/// </summary>
/// <remarks>
/// The class needs a parameterless constructor (it is created inside the enclave) and is
/// initialised by a <see cref="TrustedAttribute"/> call.
/// </remarks>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class EnclaveAttribute : Attribute
{
}
