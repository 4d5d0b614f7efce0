namespace EnclaveGen.Runtime.Transport;

/// <summary>The host's end of OCALLs: opens a sealed OCALL request, runs it, and returns the sealed result.</summary>
internal interface IOcallHandler
{
    /// <summary>Serves a synchronous OCALL; the returned message stays unchanged until the slot's next crossing.</summary>
    ReadOnlyMemory<byte> HandleOcall(int slot, ReadOnlyMemory<byte> request);

    /// <summary>Serves an OCALL whose host implementation is asynchronous.</summary>
    ValueTask<ReadOnlyMemory<byte>> HandleOcallAsync(int slot, ReadOnlyMemory<byte> request);

    /// <summary>
    /// True when an OCALL and its ECALL's outcome travel on one channel that only one may use at a
    /// time (isolated mode's ring): an ECALL that ends while a work item's OCALL is out then waits for
    /// that OCALL's result before its own outcome (a fault) is sent.
    /// </summary>
    bool OutcomesShareTheOcallsChannel => false;
}
