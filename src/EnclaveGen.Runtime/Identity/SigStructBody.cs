using System.Buffers.Binary;

namespace EnclaveGen.Runtime.Identity;

/// <summary>
/// The bytes an enclave signature covers (SGX's SIGSTRUCT body, reduced to what EnclaveGen uses),
/// 84 bytes, little-endian:
/// <code>
/// offset size field
///  0      8   magic "EGSIGST1"
///  8     32   MRENCLAVE
/// 40     32   MRSIGNER (SHA-256 of the signer's DER SubjectPublicKeyInfo)
/// 72      2   ISVPRODID (product ID)
/// 74      2   ISVSVN (security version)
/// 76      8   ATTRIBUTES (bit 1 = DEBUG, as in SGX; every other bit 0)
/// </code>
/// </summary>
public static class SigStructBody
{
    /// <summary>The length of the body.</summary>
    public const int Length = 84;

    /// <summary>The ATTRIBUTES bit that marks a debug enclave (SGX ATTRIBUTES.DEBUG).</summary>
    public const ulong DebugAttribute = 1UL << 1;

    private static ReadOnlySpan<byte> Magic => "EGSIGST1"u8;

    /// <summary>Writes the body for these fields.</summary>
    public static byte[] Create(EnclaveHash mrenclave, EnclaveHash mrsigner, ushort productId, ushort securityVersion, bool isDebug)
    {
        byte[] body = new byte[Length];
        Magic.CopyTo(body);
        mrenclave.AsSpan().CopyTo(body.AsSpan(8));
        mrsigner.AsSpan().CopyTo(body.AsSpan(40));
        BinaryPrimitives.WriteUInt16LittleEndian(body.AsSpan(72), productId);
        BinaryPrimitives.WriteUInt16LittleEndian(body.AsSpan(74), securityVersion);
        BinaryPrimitives.WriteUInt64LittleEndian(body.AsSpan(76), isDebug ? DebugAttribute : 0);
        return body;
    }
}
