namespace EnclaveGen.Attestation.Formats;

/// <summary>The SGX enclave ATTRIBUTES (16 bytes: FLAGS then XFRM, both little-endian).</summary>
/// <param name="Flags">The FLAGS word; bit 1 is DEBUG.</param>
/// <param name="Xfrm">The XSAVE feature request mask.</param>
public readonly record struct SgxAttributes(ulong Flags, ulong Xfrm)
{
    /// <summary>FLAGS bit 0: the enclave has been initialised.</summary>
    public const ulong Init = 0x01;

    /// <summary>FLAGS bit 1: the enclave is a debug enclave (its memory can be read by a debugger).</summary>
    public const ulong Debug = 0x02;

    /// <summary>FLAGS bit 2: the enclave runs in 64-bit mode.</summary>
    public const ulong Mode64Bit = 0x04;

    /// <summary>FLAGS bit 4: the enclave may request the provisioning key (quoting enclaves).</summary>
    public const ulong ProvisionKey = 0x10;

    /// <summary>True when the DEBUG bit is set.</summary>
    public bool IsDebug => (Flags & Debug) != 0;

    /// <summary>The 16-byte encoding, as lowercase hex.</summary>
    public override string ToString() => $"flags=0x{Flags:x16} xfrm=0x{Xfrm:x16}";
}
