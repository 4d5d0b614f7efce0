namespace PasswordVault;

/// <summary>What <see cref="Vault.Open"/> tells the host: whether it unsealed a stored vault, and the account names.</summary>
/// <param name="FromSealedFile">True when the vault came from the host's sealed file; false for a new vault.</param>
/// <param name="Accounts">The account names (public; the hashes stay inside).</param>
public sealed record VaultOpened(bool FromSealedFile, string[] Accounts);
