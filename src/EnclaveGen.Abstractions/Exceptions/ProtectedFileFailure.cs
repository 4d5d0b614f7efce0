namespace EnclaveGen;

/// <summary>Why a protected file could not be opened, read or written (docs/protected-files.md).</summary>
public enum ProtectedFileFailure
{
    /// <summary>The file does not exist and the mode does not create it.</summary>
    NotFound,

    /// <summary>The file exists and the mode (<c>FileMode.CreateNew</c>) requires that it does not.</summary>
    AlreadyExists,

    /// <summary>The enclave already has the file open in a way that excludes this open (one writer, or any number of readers).</summary>
    InUse,

    /// <summary>The host's bytes do not start with the protected-file magic: this is not a protected file.</summary>
    NotProtectedFile,

    /// <summary>The file has a format version this runtime does not know.</summary>
    UnsupportedVersion,

    /// <summary>
    /// Authentication failed: a block, a tree node or the header was modified, swapped with
    /// another, or taken from another file or another version of this one, or the host file is
    /// longer than the header says.
    /// </summary>
    Tampered,

    /// <summary>The host's file is shorter than the authenticated header says: it was cut off.</summary>
    Truncated,

    /// <summary>The authenticated header names another file: the host handed over the wrong one.</summary>
    AnotherFile,

    /// <summary>The file was created under another sealing policy than the one asked for.</summary>
    PolicyMismatch,

    /// <summary>
    /// The header's sealing binds it to another platform, enclave, signer, product, debug
    /// attribute or a higher security version (see <see cref="ProtectedFileException.SealingReason"/>).
    /// </summary>
    AccessDenied,

    /// <summary>
    /// The host handed back an older version of a file bound to a monotonic counter (a rollback),
    /// or hid a file whose counter says it was written.
    /// </summary>
    RolledBack,

    /// <summary>
    /// The file is newer than its monotonic counter allows: the platform's counter store was reset
    /// or rolled back, or the counter was removed.
    /// </summary>
    CounterBehind,

    /// <summary>The platform (its TEE profile) has no monotonic counters, so a counter-bound file cannot be opened or created.</summary>
    CounterUnavailable,

    /// <summary>The file's counter moved during a commit: another writer (another enclave instance) committed the same file.</summary>
    ConcurrentWriter,

    /// <summary>The host's storage failed, or answered with values outside what was asked (a read longer than requested, a negative length).</summary>
    HostStorage,

    /// <summary>The file would grow past the largest size the format addresses, or its key has encrypted as many blocks as it safely can.</summary>
    LimitReached,

    /// <summary>An earlier failure left this open file unusable; open it again.</summary>
    Faulted,
}
