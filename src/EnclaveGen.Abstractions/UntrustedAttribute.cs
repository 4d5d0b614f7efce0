namespace EnclaveGen;

/// <summary>
/// Marks a <c>static partial</c> method declaration (explicit accessibility, no body) inside an
/// <see cref="EnclaveAttribute"/> class as an OCALL: trusted code calls it, the generator
/// implements it as a stub that leaves the enclave, and the host implements it through the
/// generated <c>IUntrusted</c> interface.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class UntrustedAttribute : Attribute
{
    /// <summary>
    /// The private ECALLs (private [Trusted] methods) the host may call while this OCALL runs,
    /// by name, as EDL's <c>allow</c> list. A private ECALL is refused at any other time.
    /// </summary>
    public string[] Allow { get; set; } = [];
}
