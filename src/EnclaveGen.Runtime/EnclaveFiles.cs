using EnclaveGen.Runtime.Enclave;
using EnclaveGen.Runtime.ProtectedFiles;

namespace EnclaveGen;

/// <summary>
/// Protected files for trusted code: large enclave state kept on the host's storage, encrypted
/// and authenticated block by block, opened by name as a <see cref="Stream"/> with random access
/// (SGX's <c>sgx_fopen</c>, Gramine's encrypted files). Keys come from sealing, so the policy
/// decides which enclaves can open a file, with the sealing rules for the security version. With
/// <see cref="ProtectedFileOptions.RollbackProtection"/>, a monotonic counter refuses an older
/// version the host hands back. Call it from a [Trusted] method (or code it awaits).
/// </summary>
/// <remarks>Format, guarantees and limits: docs/protected-files.md. The host chooses the storage with <see cref="EnclaveOptions.FileStorage"/>.</remarks>
public static class EnclaveFiles
{
    /// <summary>Opens the protected file <paramref name="name"/> for reading and writing.</summary>
    /// <inheritdoc cref="ProtectedFileService.Open(string, FileMode, FileAccess, SealingPolicy, ProtectedFileOptions?)"/>
    public static ProtectedFileStream Open(string name, FileMode mode, SealingPolicy policy, ProtectedFileOptions? options = null) =>
        Current.Open(name, mode, FileAccess.ReadWrite, policy, options);

    /// <inheritdoc cref="ProtectedFileService.Open(string, FileMode, FileAccess, SealingPolicy, ProtectedFileOptions?)"/>
    public static ProtectedFileStream Open(string name, FileMode mode, FileAccess access, SealingPolicy policy, ProtectedFileOptions? options = null) =>
        Current.Open(name, mode, access, policy, options);

    /// <inheritdoc cref="ProtectedFileService.Exists(string)"/>
    public static bool Exists(string name) => Current.Exists(name);

    /// <inheritdoc cref="ProtectedFileService.Delete(string)"/>
    public static void Delete(string name) => Current.Delete(name);

    private static ProtectedFileService Current => (EnclaveCallContext.Current
        ?? throw new EnclaveCallContextException("Protected files are opened inside an enclave: call EnclaveFiles from a [Trusted] method (or code it awaits).")).Enclave.Files;
}
