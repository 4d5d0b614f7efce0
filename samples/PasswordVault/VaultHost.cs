using EnclaveGen.Runtime.ProtectedFiles;

namespace PasswordVault.Host;

/// <summary>
/// The host's side of the vault: the storage its protected file lives in (a folder), and the
/// OCALL that tells the host a new version was committed. The host only ever holds ciphertext.
/// </summary>
internal sealed class VaultHost(string folder, TextWriter output) : Vault.IUntrusted
{
    /// <summary>Where the vault's protected file lives; the enclave reaches it through the runtime's storage OCALLs.</summary>
    public FolderProtectedFileStorage Storage { get; } = new(folder);

    /// <summary>The vault file's path on the host (the insider copies and replaces it).</summary>
    public string FilePath => Storage.PathOf(Vault.FileName, ProtectedFilePart.Data);

    public void VaultCommitted(string fileName, int accounts)
    {
        long bytes = File.Exists(FilePath) ? new FileInfo(FilePath).Length : 0;
        output.WriteLine($"    host served OCALL VaultCommitted(\"{fileName}\", {accounts} accounts): the file on the host is {bytes:N0} bytes of ciphertext");
    }
}
