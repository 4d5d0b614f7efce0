using System.ComponentModel;

namespace EnclaveGen.Runtime.Generated;

/// <summary>One ECALL or OCALL as the generator described it.</summary>
/// <param name="Id">The method ID: the first four bytes (little-endian) of SHA-256 over <paramref name="Signature"/>.</param>
/// <param name="Name">The method's name.</param>
/// <param name="Signature">The canonical signature, for example <c>ecall Vault.Vault.Check(string,string)-&gt;bool</c>.</param>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed record BoundaryMethod(uint Id, string Name, string Signature);
