using EnclaveGen;

namespace EnclaveGen.Hosting.Tests.Enclaves;

/// <summary>A running total inside; each addition is reported to the host through an OCALL.</summary>
[Enclave]
public partial class Ledger
{
    private long _total;

    [Trusted]
    public long Add(long amount)
    {
        _total += amount;
        Audit($"added {amount}");
        return _total;
    }

    /// <summary>Takes longer than a short CallTimeout, so the host gives an isolated enclave up.</summary>
    [Trusted]
    public void Stall(int milliseconds) => Thread.Sleep(milliseconds);

    [Untrusted]
    private static partial void Audit(string entry);
}
