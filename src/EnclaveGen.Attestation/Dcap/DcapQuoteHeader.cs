using System.Buffers.Binary;

namespace EnclaveGen.Attestation.Formats;

/// <summary>
/// The 48-byte header every Intel DCAP quote starts with: version, attestation key type, TEE type,
/// QE SVN and PCE SVN (reserved in TDX quotes), QE vendor ID and user data.
/// </summary>
internal sealed record DcapQuoteHeader(ushort Version, ushort AttestationKeyType, uint TeeType, ushort QeSvn, ushort PceSvn, byte[] QeVendorId, byte[] UserData)
{
    /// <summary>The size of the header in bytes.</summary>
    public const int Size = 48;

    /// <summary>Attestation key type 2: ECDSA P-256 with SHA-256, the only one DCAP quoting enclaves use.</summary>
    public const ushort AttestationKeyTypeEcdsaP256 = 2;

    /// <summary>Reads and checks the header: a version among <paramref name="versions"/>, key type 2, TEE type <paramref name="teeType"/>.</summary>
    /// <exception cref="EvidenceFormatException">A field has another value.</exception>
    public static DcapQuoteHeader Read(ref EvidenceReader reader, scoped ReadOnlySpan<ushort> versions, uint teeType)
    {
        ushort version = reader.ReadUInt16("header.version");
        if (!versions.Contains(version))
        {
            throw reader.ErrorAt(0, "header.version", $"expected version {string.Join(" or ", versions.ToArray())}, found {version}");
        }

        ushort keyType = reader.ReadUInt16("header.attestation_key_type");
        if (keyType != AttestationKeyTypeEcdsaP256)
        {
            throw reader.ErrorAt(2, "header.attestation_key_type", $"expected {AttestationKeyTypeEcdsaP256} (ECDSA P-256), found {keyType}");
        }

        uint tee = reader.ReadUInt32("header.tee_type");
        if (tee != teeType)
        {
            throw reader.ErrorAt(4, "header.tee_type", $"expected 0x{teeType:x} ({(teeType == 0 ? "SGX" : "TDX")}), found 0x{tee:x}");
        }

        ushort qeSvn = reader.ReadUInt16("header.qe_svn");
        ushort pceSvn = reader.ReadUInt16("header.pce_svn");
        byte[] vendor = reader.ReadArray(16, "header.qe_vendor_id");
        byte[] userData = reader.ReadArray(20, "header.user_data");
        return new DcapQuoteHeader(version, keyType, tee, qeSvn, pceSvn, vendor, userData);
    }

    /// <summary>
    /// Reads the body descriptor of a version 5 quote (body type, body size) and requires the type to
    /// be one of <paramref name="bodyTypes"/> and the size to be that type's.
    /// </summary>
    /// <returns>The body type.</returns>
    public static ushort ReadBodyDescriptor(ref EvidenceReader reader, scoped ReadOnlySpan<(ushort Type, int Size)> bodyTypes)
    {
        int at = reader.AbsolutePosition;
        ushort type = reader.ReadUInt16("body.type");
        uint size = reader.ReadUInt32("body.size");
        foreach ((ushort knownType, int knownSize) in bodyTypes)
        {
            if (knownType == type)
            {
                return size == knownSize ? type : throw reader.ErrorAt(at + 2, "body.size", $"body type {type} is {knownSize} bytes, but the quote declares {size}");
            }
        }

        throw reader.ErrorAt(at, "body.type", $"expected body type {string.Join(" or ", bodyTypes.ToArray().Select(b => b.Type))}, found {type}");
    }

    /// <summary>Writes the body descriptor of a version 5 quote.</summary>
    public static byte[] WriteBodyDescriptor(ushort type, int size)
    {
        byte[] descriptor = new byte[6];
        BinaryPrimitives.WriteUInt16LittleEndian(descriptor, type);
        BinaryPrimitives.WriteUInt32LittleEndian(descriptor.AsSpan(2), (uint)size);
        return descriptor;
    }

    /// <summary>Writes a header.</summary>
    public static byte[] Write(ushort version, uint teeType, ushort qeSvn, ushort pceSvn, ReadOnlySpan<byte> qeVendorId, ReadOnlySpan<byte> userData)
    {
        byte[] header = new byte[Size];
        BinaryPrimitives.WriteUInt16LittleEndian(header, version);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(2), AttestationKeyTypeEcdsaP256);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(4), teeType);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(8), qeSvn);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(10), pceSvn);
        qeVendorId.CopyTo(header.AsSpan(12, 16));
        userData.CopyTo(header.AsSpan(28, 20));
        return header;
    }
}
