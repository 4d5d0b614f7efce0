using System.Text;

namespace EnclaveGen.Runtime.Transport.Isolated;

/// <summary>The host's first control message: which enclave to load, where the shared region is, its key share.</summary>
internal sealed record IsolatedHello(
    string ImagePath,
    byte[] ImageDigest,
    string EnclaveTypeName,
    int Slots,
    string RegionPath,
    int MaxMessageBytes,
    int MaxNestingDepth,
    long SpinLimitTicks,
    byte[] HostPublicKey,
    int MaxObjectDepth,
    string PlatformStore,
    byte[] PlatformRootKey,
    byte[] PlatformAttestationAuthority,
    bool AllowUnsignedImages)
{
    /// <summary>Bumped whenever the control protocol or the ring layout changes.</summary>
    public const int ProtocolVersion = 2;

    public byte[] Encode()
    {
        using MemoryStream buffer = new();
        using (BinaryWriter writer = new(buffer, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(ProtocolVersion);
            writer.Write(ImagePath);
            WriteBytes(writer, ImageDigest);
            writer.Write(EnclaveTypeName);
            writer.Write(Slots);
            writer.Write(RegionPath);
            writer.Write(SlotLayout.Stride);
            writer.Write(MaxMessageBytes);
            writer.Write(MaxNestingDepth);
            writer.Write(SpinLimitTicks);
            WriteBytes(writer, HostPublicKey);
            writer.Write(MaxObjectDepth);
            writer.Write(PlatformStore);
            WriteBytes(writer, PlatformRootKey);
            WriteBytes(writer, PlatformAttestationAuthority);
            writer.Write(AllowUnsignedImages);
        }

        return buffer.ToArray();
    }

    public static IsolatedHello Decode(byte[] payload)
    {
        using BinaryReader reader = new(new MemoryStream(payload), Encoding.UTF8);
        int version = reader.ReadInt32();
        if (version != ProtocolVersion)
        {
            throw new EnclaveException($"The host speaks isolated-mode protocol {version}, this enclave host speaks {ProtocolVersion}. Use the same EnclaveGen version for both.");
        }

        string imagePath = reader.ReadString();
        byte[] digest = ReadBytes(reader);
        string typeName = reader.ReadString();
        int slots = reader.ReadInt32();
        string regionPath = reader.ReadString();
        int stride = reader.ReadInt32();
        if (stride != SlotLayout.Stride)
        {
            throw new EnclaveException($"The host lays slots out {stride} bytes apart, this enclave host {SlotLayout.Stride}.");
        }

        return new IsolatedHello(
            imagePath, digest, typeName, slots, regionPath, reader.ReadInt32(), reader.ReadInt32(), reader.ReadInt64(), ReadBytes(reader),
            reader.ReadInt32(), reader.ReadString(), ReadBytes(reader), ReadBytes(reader), reader.ReadBoolean());
    }

    internal static void WriteBytes(BinaryWriter writer, byte[] bytes)
    {
        writer.Write(bytes.Length);
        writer.Write(bytes);
    }

    internal static byte[] ReadBytes(BinaryReader reader)
    {
        int length = reader.ReadInt32();
        if (length is < 0 or > 65536)
        {
            throw new InvalidDataException($"A control field claims {length} bytes.");
        }

        return reader.ReadBytes(length);
    }
}

/// <summary>The enclave process's answer: started, hardened, and its key share.</summary>
internal sealed record IsolatedReady(byte[] EnclavePublicKey, string Hardening)
{
    public byte[] Encode()
    {
        using MemoryStream buffer = new();
        using (BinaryWriter writer = new(buffer, Encoding.UTF8, leaveOpen: true))
        {
            IsolatedHello.WriteBytes(writer, EnclavePublicKey);
            writer.Write(Hardening);
        }

        return buffer.ToArray();
    }

    public static IsolatedReady Decode(byte[] payload)
    {
        using BinaryReader reader = new(new MemoryStream(payload), Encoding.UTF8);
        return new IsolatedReady(IsolatedHello.ReadBytes(reader), reader.ReadString());
    }
}
