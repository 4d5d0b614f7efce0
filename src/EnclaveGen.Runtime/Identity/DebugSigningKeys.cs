using System.Security.Cryptography;
using EnclaveGen.Runtime.Platform;

namespace EnclaveGen.Runtime.Identity;

/// <summary>
/// Per-project debug signing keys, for enclaves built without <c>EnclaveSigningKey</c>: an ECDSA
/// P-256 key created once per project (<see cref="DebugKeyOwner"/>) under
/// <c>&lt;EnclaveGen home&gt;/debug-keys/</c> and reused by every later build, so <c>dotnet clean</c>
/// does not change the enclave's MRSIGNER. Enclaves signed with one are always marked DEBUG.
/// A key file, or a folder on its way, that another user owns or can write to is refused, and so
/// is a key others can read (as ssh refuses such a private key): whoever planted it could sign
/// enclaves that open what this user's enclaves seal.
/// </summary>
public static class DebugSigningKeys
{
    /// <summary>The key file of <paramref name="owner"/>.</summary>
    public static string PathFor(DebugKeyOwner owner, string? homeDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(owner);
        return Path.Combine(Path.GetFullPath(homeDirectory ?? EnclaveGenHome.Resolve()), "debug-keys", owner.FileName);
    }

    /// <summary>Loads the project's debug key, creating it (owner-only, atomically) on first use.</summary>
    /// <param name="owner">The project the key belongs to.</param>
    /// <param name="homeDirectory">The EnclaveGen home; by default <see cref="EnclaveGenHome.Resolve"/>.</param>
    /// <param name="created">True when this call created the key.</param>
    /// <exception cref="EnclavePlatformException">The home or its debug-keys folder belongs to another user or others can write to it.</exception>
    /// <exception cref="EnclaveSigningKeyException">The key file belongs to another user, others can read or write it, or it holds no usable key.</exception>
    public static EnclaveSigningKey GetOrCreate(DebugKeyOwner owner, string? homeDirectory, out bool created)
    {
        ArgumentNullException.ThrowIfNull(owner);
        string home = EnclaveGenHome.EnsurePrivateDirectory(homeDirectory ?? EnclaveGenHome.Resolve(), "EnclaveGen home");
        string path = PathFor(owner, home);
        EnclaveGenHome.EnsurePrivateDirectory(Path.GetDirectoryName(path)!, "debug signing key folder");
        created = false;
        if (!File.Exists(path))
        {
            using EnclaveSigningKey fresh = EnclaveSigningKey.CreateEcdsaP256();
            byte[] pem = fresh.ExportPrivateKeyPemUtf8();
            try
            {
                // Two builds of the same project at once: one creates the key, the other uses it.
                created = AtomicFile.TryCreate(path, pem);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(pem);
            }
        }

        if (PrivateFiles.FileProblem(path, "debug signing key", secret: true) is { } problem)
        {
            throw new EnclaveSigningKeyException(problem + " Whoever can read or replace a signing key can sign enclaves that open what yours seal under MRSIGNER.");
        }

        return EnclaveSigningKey.LoadPem(path);
    }
}
