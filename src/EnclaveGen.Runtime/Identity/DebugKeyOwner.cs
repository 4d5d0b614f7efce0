using System.Security.Cryptography;
using System.Text;

namespace EnclaveGen.Runtime.Identity;

/// <summary>
/// The project a debug signing key belongs to, which names its file under
/// <c>&lt;EnclaveGen home&gt;/debug-keys/</c>. A project is identified by its assembly name and an id
/// it chooses once and keeps in its project file (<c>EnclaveDebugKeyId</c>, a GUID, like
/// <c>UserSecretsId</c>): a clone in another folder or a moved project keeps its debug key and
/// MRSIGNER, and two projects share a key only if they declare the same assembly name and id.
/// Without an id the key follows the project file's full path, as before.
/// </summary>
public sealed class DebugKeyOwner
{
    private DebugKeyOwner(string fileName, string description, bool followsProjectPath)
    {
        FileName = fileName;
        Description = description;
        FollowsProjectPath = followsProjectPath;
    }

    /// <summary>The key's file name: <c>&lt;name&gt;-&lt;16 hex digits&gt;.pem</c>.</summary>
    public string FileName { get; }

    /// <summary>What identifies the project, for messages.</summary>
    public string Description { get; }

    /// <summary>True when the key follows the project's path (no id): moving or re-cloning the project changes it.</summary>
    public bool FollowsProjectPath { get; }

    /// <summary>
    /// The project with this assembly name and project-chosen id. The file is
    /// <c>&lt;assembly&gt;-&lt;first 16 hex digits of SHA-256("EnclaveGen debug key v2\n" + length of assembly + ":" + assembly + "\n" + id)&gt;.pem</c>
    /// (the length keeps every pair of assembly name and id apart).
    /// </summary>
    /// <param name="assemblyName">The enclave library's simple assembly name.</param>
    /// <param name="projectKeyId">The id the project declares (<c>EnclaveDebugKeyId</c>); surrounding white space is ignored.</param>
    public static DebugKeyOwner ForProject(string assemblyName, string projectKeyId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(assemblyName);
        ArgumentException.ThrowIfNullOrWhiteSpace(projectKeyId);
        string id = projectKeyId.Trim();
        string digest = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"EnclaveGen debug key v2\n{assemblyName.Length}:{assemblyName}\n{id}")))[..16];
        return new DebugKeyOwner($"{SafeFileName(assemblyName)}-{digest}.pem", $"assembly {assemblyName}, EnclaveDebugKeyId {id}", followsProjectPath: false);
    }

    /// <summary>
    /// The project file at <paramref name="projectPath"/>, for projects without an id: the file is
    /// <c>&lt;ProjectName&gt;-&lt;first 16 hex digits of SHA-256 of the full path&gt;.pem</c>.
    /// </summary>
    public static DebugKeyOwner ForProjectPath(string projectPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(projectPath);
        string full = Path.GetFullPath(projectPath);
        string digest = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(full)))[..16];
        return new DebugKeyOwner($"{SafeFileName(Path.GetFileNameWithoutExtension(full))}-{digest}.pem", $"the project at {full}", followsProjectPath: true);
    }

    /// <inheritdoc />
    public override string ToString() => Description;

    private static string SafeFileName(string name)
    {
        char[] invalid = Path.GetInvalidFileNameChars();
        return string.Concat(name.Select(c => Array.IndexOf(invalid, c) >= 0 ? '_' : c));
    }
}
