namespace EnclaveGen;

/// <summary>Why a sealed blob could not be opened.</summary>
public enum SealingFailure
{
    /// <summary>The blob has no bytes.</summary>
    Empty,

    /// <summary>The blob is shorter than its header says (cut off in storage or transfer).</summary>
    Truncated,

    /// <summary>The bytes do not start with the sealed-blob magic: this is not sealed data.</summary>
    NotSealedData,

    /// <summary>The blob has a format version this runtime does not know.</summary>
    UnsupportedVersion,

    /// <summary>A header field holds a value no sealer writes (unknown policy, reserved bits, trailing bytes).</summary>
    Malformed,

    /// <summary>The blob was sealed on another platform (another root key).</summary>
    AnotherPlatform,

    /// <summary>The blob was sealed under <see cref="SealingPolicy.MrEnclave"/> by another enclave.</summary>
    AnotherEnclave,

    /// <summary>The blob was sealed under <see cref="SealingPolicy.MrSigner"/> by enclaves of another signer.</summary>
    AnotherSigner,

    /// <summary>The blob was sealed for another product ID of the same signer.</summary>
    AnotherProduct,

    /// <summary>A debug enclave tried to open data sealed by a production enclave, or the reverse.</summary>
    DebugMismatch,

    /// <summary>The blob was sealed at a higher security version (SVN) than this enclave has.</summary>
    HigherSecurityVersion,

    /// <summary>
    /// The authentication tag did not verify: the additional authenticated data differs from the
    /// data given when sealing, or the blob was modified.
    /// </summary>
    AuthenticationFailed,

    /// <summary>
    /// The blob is bound to a monotonic counter that has moved past the blob's version: the host
    /// handed back an older blob (a rollback).
    /// </summary>
    RolledBack,

    /// <summary>
    /// The blob is bound to a monotonic counter that is behind the blob's version or missing: the
    /// platform's counter store was reset or rolled back.
    /// </summary>
    CounterBehind,

    /// <summary>The blob is bound to a monotonic counter, and this platform has no counter service.</summary>
    CounterUnavailable,

    /// <summary>
    /// The enclave runs in a real confidential VM (the <c>cvm</c> profile), where EnclaveGen has no
    /// key bound to the hardware to seal with: it refuses rather than use the emulated platform's key.
    /// </summary>
    NoHardwareKey,
}
