namespace EnclaveGen.Runtime.Transport;

/// <summary>The host's end of OCALLs: opens a sealed OCALL request, runs it, and returns the sealed result.</summary>
internal interface IOcallHandler
{
    ReadOnlySpan<byte> HandleOcall(int slot, ReadOnlySpan<byte> request);
}
