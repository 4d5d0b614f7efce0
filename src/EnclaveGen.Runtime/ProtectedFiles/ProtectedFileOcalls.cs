using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace EnclaveGen.Runtime.ProtectedFiles;

/// <summary>
/// The runtime's own OCALLs, which carry protected files' bytes to and from the host's storage.
/// They cross the boundary like every OCALL (sealed, replay-checked, on the running ECALL's
/// slot), and their IDs are made the way the generator makes every method ID, from a canonical
/// signature in the runtime's namespace; a loaded enclave whose own methods collide with one is
/// refused. Payloads are in docs/wire-format.md ("Runtime OCALLs").
/// </summary>
internal static class ProtectedFileOcalls
{
    public static readonly uint GetLength = Id("GetLength(string,byte)->long");
    public static readonly uint Read = Id("Read(string,byte,long,int)->byte[]");
    public static readonly uint Write = Id("Write(string,byte,long,byte[])");
    public static readonly uint SetLength = Id("SetLength(string,byte,long)");
    public static readonly uint Flush = Id("Flush(string,byte)");
    public static readonly uint Delete = Id("Delete(string,byte)");
    public static readonly uint Close = Id("Close(string)");

    private static readonly Dictionary<uint, string> s_names = new()
    {
        [GetLength] = "ProtectedFileStorage.GetLength",
        [Read] = "ProtectedFileStorage.Read",
        [Write] = "ProtectedFileStorage.Write",
        [SetLength] = "ProtectedFileStorage.SetLength",
        [Flush] = "ProtectedFileStorage.Flush",
        [Delete] = "ProtectedFileStorage.Delete",
        [Close] = "ProtectedFileStorage.Close",
    };

    public static bool IsRuntimeOcall(uint methodId) => s_names.ContainsKey(methodId);

    public static string? NameOf(uint methodId) => s_names.GetValueOrDefault(methodId);

    public static string DisplayName(uint methodId) => NameOf(methodId) ?? $"0x{methodId:x8}";

    /// <summary>The most bytes one storage OCALL moves, for a boundary whose messages hold <paramref name="maxMessageBytes"/>: room is left for the name and numbers.</summary>
    public static int MaxTransferBytes(int maxMessageBytes) => Math.Clamp(maxMessageBytes - 512, 256, 1024 * 1024);

    // First 4 bytes (little-endian) of SHA-256 over the canonical signature, as for generated methods.
    private static uint Id(string signature) =>
        BinaryPrimitives.ReadUInt32LittleEndian(SHA256.HashData(Encoding.UTF8.GetBytes("ocall EnclaveGen.Runtime.ProtectedFiles.ProtectedFileStorage." + signature)));
}
