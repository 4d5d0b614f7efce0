using System.Security.Cryptography;
using System.Text;
using EnclaveGen;
using EnclaveGen.Runtime.ProtectedFiles;

namespace PasswordVault;

/// <summary>
/// A password vault inside an enclave. It keeps each account's salt and password hash
/// (PBKDF2-HMAC-SHA256, then HMAC with the vault's pepper), checks passwords with a
/// constant-time comparison, and keeps its table in a protected file on the host's storage:
/// encrypted and authenticated under keys sealed to the enclave's signer, and bound to a
/// monotonic counter, so the host can neither read it nor hand back an older version unnoticed.
/// The host stores the file's bytes and relays calls; it never sees a hash, a salt or the pepper.
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

    /// <summary>The protected file the vault's table lives in (the format's version is in the name).</summary>
    public const string FileName = VaultTable.FileName;

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
    /// Opens the vault: reads the table from its protected file, or starts a new vault (with a
    /// fresh pepper) when there is none. With <paramref name="startOver"/>, replaces whatever is
    /// there with a new vault.
    /// </summary>
    /// <remarks>
    /// Fails with ProtectedFileException (the host sees its type name, and for this DEBUG build
    /// its message) when the file was altered, is older than the vault's counter says (a
    /// rollback), is missing although the counter says it was written, or was written on another
    /// platform or by another signer.
    /// </remarks>
    [Trusted]
    public VaultOpened Open(bool startOver)
    {
        using ProtectedFileStream file = EnclaveFiles.Open(VaultTable.FileName, startOver ? FileMode.Create : FileMode.OpenOrCreate, SealingPolicy.MrSigner, VaultTable.FileOptions);
        if (file.Length == 0)
        {
            _pepper = RandomNumberGenerator.GetString(PepperAlphabet, PepperLength);
            _opened = true;
            Save(file);
            return new VaultOpened(FromSealedFile: false, []);
        }

        byte[] table = new byte[file.Length];
        file.ReadExactly(table);
        _pepper = VaultTable.Read(table, _names, _salts, _hashes);
        CryptographicOperations.ZeroMemory(table);
        _opened = true;
        return new VaultOpened(FromSealedFile: true, [.. _names]);
    }

    /// <summary>The account names (public).</summary>
    [Trusted]
    public string[] Accounts() => [.. _names];

    /// <summary>
    /// Adds an account, or replaces its password: a fresh salt, the hash, and the table written
    /// to its protected file and committed (a new version, counted by the vault's counter).
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

        using ProtectedFileStream file = EnclaveFiles.Open(VaultTable.FileName, FileMode.Open, SealingPolicy.MrSigner, VaultTable.FileOptions);
        Save(file);
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

    /// <summary>OCALL: tells the host a new version of the vault's file was committed (the name and the account count are public).</summary>
    [Untrusted]
    private static partial void VaultCommitted(string fileName, int accounts);

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

    // The file's keys are sealed to MRSIGNER: a later build of this vault (same signer and product) opens it too.
    private void Save(ProtectedFileStream file)
    {
        byte[] table = VaultTable.Write(_pepper, _names, _salts, _hashes);
        file.Position = 0;
        file.Write(table);
        file.SetLength(table.Length);
        CryptographicOperations.ZeroMemory(table);
        file.Flush();
        VaultCommitted(VaultTable.FileName, _names.Count);
    }

    private void EnsureOpen()
    {
        if (!_opened)
        {
            throw new InvalidOperationException("Call Open first: the vault has not been opened.");
        }
    }
}
