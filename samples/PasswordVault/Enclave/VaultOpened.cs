namespace PasswordVault;

/// <summary>What <see cref="Vault.Open"/> tells the host: whether it read a stored vault, and the account names.</summary>
/// <param name="FromSealedFile">True when the vault came from its protected file (keys sealed to the signer); false for a new vault.</param>
/// <param name="Accounts">The account names (public; the hashes stay inside).</param>
public sealed record VaultOpened(bool FromSealedFile, string[] Accounts);
