namespace EnclaveGen.Runtime.Transport;

/// <summary>The host's end of OCALLs: opens a sealed OCALL request, runs it, and returns the sealed result.</summary>
internal interface IOcallHandler
{
    /// <summary>Serves a synchronous OCALL; the returned message stays unchanged until the slot's next crossing.</summary>
    ReadOnlyMemory<byte> HandleOcall(int slot, ReadOnlyMemory<byte> request);

    /// <summary>Serves an OCALL whose host implementation is asynchronous.</summary>
    ValueTask<ReadOnlyMemory<byte>> HandleOcallAsync(int slot, ReadOnlyMemory<byte> request);
}
