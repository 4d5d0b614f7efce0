namespace EnclaveGen.Runtime.Transport;

/// <summary>
/// Carries sealed messages between the host and the enclave. In-process it is a call; isolated,
/// a shared-memory ring to another process. Both carry the same wire format.
/// </summary>
internal interface IEnclaveTransport : IDisposable
{
    /// <summary>
    /// Delivers a sealed ECALL request on <paramref name="slot"/> and returns the sealed outcome.
    /// OCALLs the enclave makes meanwhile are handed to the handler the transport was built with.
    /// The returned message stays unchanged until the slot's next crossing (the reader of a long
    /// message decrypts it as it reads).
    /// </summary>
    ReadOnlyMemory<byte> Enter(int slot, ReadOnlyMemory<byte> request);

    /// <summary>
    /// As <see cref="Enter"/>, for ECALLs whose trusted method is asynchronous: the caller's
    /// thread is released while the enclave works. The returned memory stays valid until the
    /// slot's next crossing.
    /// </summary>
    ValueTask<ReadOnlyMemory<byte>> EnterAsync(int slot, ReadOnlyMemory<byte> request);

    /// <summary>Tells the enclave side to halt (the host found an integrity violation).</summary>
    void Halt(string reason);

    /// <summary>Why the enclave's side is gone (isolated: its process ended), or null while it is there.</summary>
    string? LostReason => null;
}
