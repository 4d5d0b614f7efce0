using System.Security.Cryptography;
using System.Text;
using EnclaveGen.Runtime.Platform;

namespace EnclaveGen.Runtime.Identity;

/// <summary>
/// Per-project debug signing keys, for enclaves built without <c>EnclaveSigningKey</c>: an ECDSA
/// P-256 key created once per project under <c>&lt;EnclaveGen home&gt;/debug-keys/</c> and reused
/// by every later build, so <c>dotnet clean</c> does not change the enclave's MRSIGNER. Enclaves
/// signed with one are always marked DEBUG.
/// </summary>
public static class DebugSigningKeys
{
    /// <summary>The key file for the project at <paramref name="projectPath"/>: <c>&lt;ProjectName&gt;-&lt;16 hex digits of SHA-256 of the full path&gt;.pem</c>.</summary>
    public static string PathFor(string projectPath, string? homeDirectory = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(projectPath);
        string full = Path.GetFullPath(projectPath);
        string id = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(full)))[..16];
        return Path.Combine(homeDirectory ?? EnclaveGenHome.Resolve(), "debug-keys", $"{Path.GetFileNameWithoutExtension(full)}-{id}.pem");
    }

    /// <summary>Loads the project's debug key, creating it (owner-only, atomically) on first use.</summary>
    /// <param name="projectPath">The project file (its full path identifies the project).</param>
    /// <param name="homeDirectory">The EnclaveGen home; by default <see cref="EnclaveGenHome.Resolve"/>.</param>
    /// <param name="created">True when this call created the key.</param>
    public static EnclaveSigningKey GetOrCreate(string projectPath, string? homeDirectory, out bool created)
    {
        string home = EnclaveGenHome.EnsureDirectory(homeDirectory ?? EnclaveGenHome.Resolve());
        string path = PathFor(projectPath, home);
        EnclaveGenHome.EnsureDirectory(Path.GetDirectoryName(path)!);
        created = false;
        if (!File.Exists(path))
        {
            using EnclaveSigningKey fresh = EnclaveSigningKey.CreateEcdsaP256();
            // Two builds of the same project at once: one creates the key, the other uses it.
            created = AtomicFile.TryCreate(path, Encoding.UTF8.GetBytes(fresh.ExportPrivateKeyPem()));
        }

        return EnclaveSigningKey.LoadPem(path);
    }
}
