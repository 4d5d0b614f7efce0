using EnclaveGen;

namespace PasswordVault.Host;

/// <summary>
/// The vault folder holds a sealed vault this enclave cannot open. The file is left as it is (it may
/// be another build's vault); the message says why and how to start a new vault elsewhere.
/// </summary>
public sealed class VaultUnavailableException(string path, SealingFailure reason)
    : Exception($"PasswordVault: {path} cannot be opened by this enclave: {Explain(reason)} ({reason}). It was left as it is. To start a new vault, run again with --vault <another folder>.")
{
    /// <summary>Why the enclave refused the file.</summary>
    public SealingFailure Reason { get; } = reason;

    private static string Explain(SealingFailure reason) => reason switch
    {
        SealingFailure.AnotherSigner => "it was sealed by an enclave with another signer, such as a build of this sample from another clone or machine, signed with another debug key",
        SealingFailure.AnotherPlatform => "it was sealed on another platform (another machine, or another ENCLAVEGEN_HOME)",
        SealingFailure.AnotherProduct => "it was sealed by an enclave with another product ID",
        SealingFailure.DebugMismatch => "it was sealed by a debug enclave and this one is a production build, or the reverse",
        SealingFailure.HigherSecurityVersion => "it was sealed by a newer version of the vault than this one",
        SealingFailure.AuthenticationFailed => "it was altered, or sealed for something other than this vault",
        SealingFailure.AnotherEnclave => "it was sealed to another enclave's MRENCLAVE",
        _ => "it is not a sealed vault this version can read (damaged, cut short, or another kind of file)",
    };
}
