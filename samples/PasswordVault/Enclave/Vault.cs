using System.Security.Cryptography;
using System.Text;
using EnclaveGen;

namespace PasswordVault;

/// <summary>
/// A password vault inside an enclave. It keeps each account's salt and password hash
/// (PBKDF2-HMAC-SHA256, then HMAC with the vault's pepper), checks passwords with a
/// constant-time comparison, and hands the host only the table sealed to the enclave's signer.
/// The host stores that sealed file and relays calls; it never sees a hash, a salt or the pepper.
/// </summary>
[Enclave]
public partial class Vault
{
    /// <summary>
    /// PBKDF2 iterations. Kept low so the sample and its tests run quickly; a production vault
    /// uses at least 600,000 for PBKDF2-HMAC-SHA256 (OWASP, 2023).
    /// </summary>
    public const int Iterations = 10_000;

    /// <summary>The pepper's length and alphabet (base32: 26 characters carry 130 bits).</summary>
    public const int PepperLength = 26;

    /// <summary>The characters a pepper is made of.</summary>
    public const string PepperAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    // Account names are public (the host registers them); salts and hashes are not.
    private readonly List<string> _names = [];
    private readonly List<byte[]> _salts = [];
    private readonly List<byte[]> _hashes = [];

    // A secret only the enclave knows, mixed into every hash: a stolen table is useless without it.
    [Secret]
    private string _pepper = "";

    // An unknown user is checked against this decoy, so that a check costs the same either way.
    private readonly byte[] _decoySalt = RandomNumberGenerator.GetBytes(VaultTable.SaltLength);
    private readonly byte[] _decoyHash = new byte[VaultTable.HashLength];

    private bool _opened;

    /// <summary>
    /// Opens the vault: asks the host for the sealed table and unseals it, or starts a new vault
    /// (with a fresh pepper) when the host has none.
    /// </summary>
    [Trusted]
    public VaultOpened Open()
    {
        byte[]? sealedVault = LoadSealedVault();
        if (sealedVault is null)
        {
            _pepper = RandomNumberGenerator.GetString(PepperAlphabet, PepperLength);
            _opened = true;
            Save();
            return new VaultOpened(FromSealedFile: false, []);
        }

        byte[] table;
        try
        {
            table = EnclaveSealing.Unseal(sealedVault, VaultTable.SealingLabel);
        }
        catch (EnclaveSealingException refused)
        {
            // Altered, or sealed on another platform or by another signer (another clone's debug
            // key, say): say why, and neither open a new vault nor overwrite the host's file.
            return new VaultOpened(FromSealedFile: false, [], refused.Reason);
        }

        _pepper = VaultTable.Read(table, _names, _salts, _hashes);
        CryptographicOperations.ZeroMemory(table);
        _opened = true;
        return new VaultOpened(FromSealedFile: true, [.. _names]);
    }

    /// <summary>The account names (public).</summary>
    [Trusted]
    public string[] Accounts() => [.. _names];

    /// <summary>
    /// Adds an account, or replaces its password: a fresh salt, the hash, and the whole table
    /// sealed again and handed to the host to store.
    /// </summary>
    [Trusted]
    public void Register(string user, [Secret] string password)
    {
        EnsureOpen();
        ArgumentException.ThrowIfNullOrEmpty(user);
        byte[] salt = RandomNumberGenerator.GetBytes(VaultTable.SaltLength);
        byte[] hash = Hash(password, salt);
        int at = _names.IndexOf(user);
        if (at < 0)
        {
            _names.Add(user);
            _salts.Add(salt);
            _hashes.Add(hash);
        }
        else
        {
            _salts[at] = salt;
            _hashes[at] = hash;
        }

        Save();
    }

    /// <summary>
    /// Checks a password. The hashes are compared in constant time; an unknown user costs the same
    /// work. Only the one bit the check must reveal leaves the enclave.
    /// </summary>
    [Trusted]
    public bool Verify(string user, [Secret] string password)
    {
        EnsureOpen();
        int at = _names.IndexOf(user);
        bool known = at >= 0;
        byte[] candidate = Hash(password, known ? _salts[at] : _decoySalt);
        bool match = CryptographicOperations.FixedTimeEquals(candidate, known ? _hashes[at] : _decoyHash) & known;
        CryptographicOperations.ZeroMemory(candidate);
        return Secrets.Declassify(match, "a password check reveals one bit: whether the password was right");
    }

    /// <summary>
    /// SHA-256 of the pepper. Only for the demonstration: it lets the host search its memory for
    /// the pepper without knowing it. A 130-bit random secret cannot be recovered from its hash.
    /// </summary>
    [Trusted]
    public byte[] PepperFingerprint()
    {
        EnsureOpen();
        return Secrets.Declassify(SHA256.HashData(Encoding.ASCII.GetBytes(_pepper)), "a hash of a 130-bit random secret; the sample's memory search needs it");
    }

    /// <summary>OCALL: the sealed table the host stored, or null when it has none.</summary>
    [Untrusted]
    private static partial byte[]? LoadSealedVault();

    /// <summary>OCALL: the host stores the sealed table (atomically replacing the previous one).</summary>
    [Untrusted]
    private static partial void SaveSealedVault(byte[] sealedVault);

    // PBKDF2-HMAC-SHA256 with the account's salt, then HMAC-SHA256 keyed with the pepper.
    private byte[] Hash(string password, byte[] salt)
    {
        byte[] stretched = Rfc2898DeriveBytes.Pbkdf2(password, salt, Iterations, HashAlgorithmName.SHA256, VaultTable.HashLength);
        byte[] pepper = Encoding.ASCII.GetBytes(_pepper);
        byte[] hash = HMACSHA256.HashData(pepper, stretched);
        CryptographicOperations.ZeroMemory(stretched);
        CryptographicOperations.ZeroMemory(pepper);
        return hash;
    }

    // Sealed to MRSIGNER: a later build of this vault (same signer and product) opens it too.
    private void Save()
    {
        byte[] table = VaultTable.Write(_pepper, _names, _salts, _hashes);
        byte[] sealedVault = EnclaveSealing.Seal(table, SealingPolicy.MrSigner, VaultTable.SealingLabel);
        CryptographicOperations.ZeroMemory(table);
        SaveSealedVault(sealedVault);
    }

    private void EnsureOpen()
    {
        if (!_opened)
        {
            throw new InvalidOperationException("Call Open first: the vault has not been opened.");
        }
    }
}
