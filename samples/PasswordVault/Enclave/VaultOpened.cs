namespace PasswordVault;

/// <summary>What <see cref="Vault.Open"/> tells the host: whether it unsealed a stored vault, and the account names.</summary>
/// <param name="FromSealedFile">True when the vault came from the host's sealed file; false for a new vault.</param>
/// <param name="Accounts">The account names (public; the hashes stay inside).</param>
/// <param name="Unopenable">
/// Why the host's sealed file could not be opened (another signer, another platform, altered...), or
/// null. The vault is then not opened, and the file is left alone: it may be another build's vault.
/// The reason is no secret: the blob's own header says as much.
/// </param>
public sealed record VaultOpened(bool FromSealedFile, string[] Accounts, EnclaveGen.SealingFailure? Unopenable = null);
