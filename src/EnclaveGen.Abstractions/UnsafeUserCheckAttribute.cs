namespace EnclaveGen;

/// <summary>
/// The explicit, unsafe opt-out from copying (EDL's <c>user_check</c>): an array parameter of a
/// [Trusted] method marked with it passes the caller's array itself, not a copy. Trusted code then
/// reads and writes host memory directly: the host can change it at any moment (check once, use
/// once, never twice), and anything trusted code writes there is visible to the host at once.
/// </summary>
/// <remarks>
/// Allowed only on arrays of fixed-size primitives, works only in-process, and warns (EG2004)
/// at the declaration and at every call. Use it for large buffers where the copy costs more
/// than the risk, never for secrets.
/// </remarks>
[AttributeUsage(AttributeTargets.Parameter, AllowMultiple = false, Inherited = false)]
public sealed class UnsafeUserCheckAttribute : Attribute
{
}
