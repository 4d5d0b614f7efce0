using System.ComponentModel;

namespace EnclaveGen.Runtime.Generated;

/// <summary>One ECALL or OCALL as the generator described it.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class BoundaryMethod
{
    /// <summary>Describes a boundary method.</summary>
    /// <param name="id">The method ID: the first four bytes (little-endian) of SHA-256 over <paramref name="signature"/>.</param>
    /// <param name="name">The method's name.</param>
    /// <param name="signature">The canonical signature, for example <c>ecall Vault.Vault.Check(string,string)-&gt;bool</c>.</param>
    /// <param name="isAsync">Whether the method returns a task.</param>
    /// <param name="allowedDuring">For a private ECALL, the IDs of the OCALLs during which the host may call it; null for a public one.</param>
    public BoundaryMethod(uint id, string name, string signature, bool isAsync = false, uint[]? allowedDuring = null)
    {
        Id = id;
        Name = name;
        Signature = signature;
        IsAsync = isAsync;
        AllowedDuring = allowedDuring;
    }

    /// <summary>The method ID.</summary>
    public uint Id { get; }

    /// <summary>The method's name.</summary>
    public string Name { get; }

    /// <summary>The canonical signature.</summary>
    public string Signature { get; }

    /// <summary>Whether the method returns a task.</summary>
    public bool IsAsync { get; }

    /// <summary>For a private ECALL, the OCALLs during which the host may call it; null for a public ECALL.</summary>
    public IReadOnlyList<uint>? AllowedDuring { get; }

    /// <summary>Whether this is a private ECALL.</summary>
    public bool IsPrivate => AllowedDuring is not null;
}
