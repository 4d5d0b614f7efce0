namespace EnclaveGen;

/// <summary>Where an enclave's trusted code and memory live. Generated code and the wire format are the same in both modes.</summary>
public enum EnclaveMode
{
    /// <summary>
    /// In the host's process, as in SGX simulation mode (the default, and the fastest): isolation
    /// by construction, no protection from a hostile host process. See docs/runtime.md.
    /// </summary>
    InProcess = 0,

    /// <summary>
    /// In a child process of its own that makes itself non-dumpable, so a host running as the same
    /// non-root user cannot read its memory; crossings travel through shared memory as
    /// ciphertext. Linux only. See docs/runtime.md, "Isolated mode".
    /// </summary>
    Isolated = 1,
}
