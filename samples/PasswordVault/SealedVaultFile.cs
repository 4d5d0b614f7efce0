using EnclaveGen.Runtime.Platform;

namespace PasswordVault.Host;

/// <summary>
/// The host's side of the vault's OCALLs: it stores the sealed table the enclave hands out and
/// gives it back at the next start. It only ever holds ciphertext.
/// </summary>
internal sealed class SealedVaultFile(string folder, TextWriter output) : Vault.IUntrusted
{
    /// <summary>The file's name inside the vault folder.</summary>
    public const string FileName = "vault.sealed";

    public string Path { get; } = System.IO.Path.Combine(folder, FileName);

    public byte[]? LoadSealedVault()
    {
        if (!File.Exists(Path))
        {
            output.WriteLine($"    host served OCALL LoadSealedVault(): no {FileName} in the vault folder");
            return null;
        }

        byte[] sealedVault = File.ReadAllBytes(Path);
        output.WriteLine($"    host served OCALL LoadSealedVault(): read {FileName} ({sealedVault.Length} sealed bytes)");
        return sealedVault;
    }

    public void SaveSealedVault(byte[] sealedVault)
    {
        // Temporary file, flush, rename: a crash leaves the old vault or the new one, never half of each.
        EnclaveGenHome.EnsureDirectory(folder);
        AtomicFile.WriteAllBytes(Path, sealedVault);
        output.WriteLine($"    host served OCALL SaveSealedVault(): wrote {FileName} atomically ({sealedVault.Length} sealed bytes)");
    }
}
