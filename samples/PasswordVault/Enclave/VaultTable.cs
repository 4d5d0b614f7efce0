using System.Buffers.Binary;
using System.Text;
using EnclaveGen;

namespace PasswordVault;

/// <summary>
/// The vault's table as bytes, as its protected file holds them. Layout (little-endian): pepper
/// (26 ASCII characters), account count (int32), then per account: name length (uint16), name
/// (UTF-8), salt (16 bytes), hash (32 bytes). The format's version is in the file's name
/// (<see cref="FileName"/>), so a table of another format is never misread.
/// </summary>
internal static class VaultTable
{
    public const int SaltLength = 16;
    public const int HashLength = 32;

    /// <summary>The protected file the table lives in.</summary>
    public const string FileName = "vault-v1.db";

    /// <summary>Bound to a monotonic counter: the host cannot hand back an older vault (a password changed since, an account removed).</summary>
    public static ProtectedFileOptions FileOptions { get; } = new() { RollbackProtection = true };

    public static byte[] Write(string pepper, List<string> names, List<byte[]> salts, List<byte[]> hashes)
    {
        int size = Vault.PepperLength + 4;
        foreach (string name in names)
        {
            size += 2 + Encoding.UTF8.GetByteCount(name) + SaltLength + HashLength;
        }

        byte[] table = new byte[size];
        int at = Encoding.ASCII.GetBytes(pepper, table);
        BinaryPrimitives.WriteInt32LittleEndian(table.AsSpan(at), names.Count);
        at += 4;
        for (int i = 0; i < names.Count; i++)
        {
            int nameLength = Encoding.UTF8.GetBytes(names[i], table.AsSpan(at + 2));
            BinaryPrimitives.WriteUInt16LittleEndian(table.AsSpan(at), (ushort)nameLength);
            at += 2 + nameLength;
            salts[i].CopyTo(table, at);
            at += SaltLength;
            hashes[i].CopyTo(table, at);
            at += HashLength;
        }

        return table;
    }

    /// <summary>Fills the lists from the table read back and returns the pepper.</summary>
    /// <exception cref="InvalidDataException">The table is cut short or has bytes left over (a bug: the protected file authenticated it).</exception>
    public static string Read(byte[] table, List<string> names, List<byte[]> salts, List<byte[]> hashes)
    {
        // The table's shape is public: its size shows in the protected file's length, the names are the host's.
        int length = Secrets.Declassify(table.Length, "the protected file's size shows it");
        Require(length >= Vault.PepperLength + 4);
        string pepper = Encoding.ASCII.GetString(table, 0, Vault.PepperLength);
        int at = Vault.PepperLength;
        int count = Secrets.Declassify(BinaryPrimitives.ReadInt32LittleEndian(table.AsSpan(at)), "the number of accounts is public");
        at += 4;
        Require(count >= 0);
        names.Clear();
        salts.Clear();
        hashes.Clear();
        for (int i = 0; i < count; i++)
        {
            Require(length - at >= 2);
            int nameLength = Secrets.Declassify(BinaryPrimitives.ReadUInt16LittleEndian(table.AsSpan(at)), "account names are public");
            at += 2;
            Require(length - at >= nameLength + SaltLength + HashLength);
            names.Add(Secrets.Declassify(Encoding.UTF8.GetString(table, at, nameLength), "account names are public"));
            at += nameLength;
            salts.Add(table.AsSpan(at, SaltLength).ToArray());
            at += SaltLength;
            hashes.Add(table.AsSpan(at, HashLength).ToArray());
            at += HashLength;
        }

        Require(at == length);
        return pepper;
    }

    private static void Require(bool condition)
    {
        if (!condition)
        {
            throw new InvalidDataException("The vault table read back is malformed.");
        }
    }
}
