namespace EnclaveGen;

/// <summary>
/// Marks a method that checks data the host chose (an OCALL result, bytes the host stored for
/// the enclave) well enough that the enclave may trust what passed it. The integrity analyzers
/// (EG6001 to EG6005) then treat the data as validated:
/// <list type="bullet">
/// <item>a method returning <see cref="bool"/> validates its arguments where it returned
/// <see langword="true"/> (<c>if (!IsWellFormed(config)) throw ...;</c>, or a <c>TryParse</c>
/// shape with an <see langword="out"/> result);</item>
/// <item>a <see langword="void"/> method validates its arguments after it returns (it throws on
/// bad data);</item>
/// <item>any other method returns a validated value (a parser that checks what it builds).</item>
/// </list>
/// </summary>
/// <remarks>
/// The analyzers take the attribute at its word: they do not check that the method's checks are
/// enough. Put on it only a check that binds the data to something the enclave owns (a MAC or
/// signature under an enclave key, a bound on every size it claims, a schema the enclave
/// defines), and keep it small enough to review. Unsealing, <c>AesGcm.Decrypt</c>, signature
/// verification and dominating bound checks are recognised without it
/// (docs/diagnostics/integrity-analysis.md).
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class HostDataValidatorAttribute : Attribute
{
}
