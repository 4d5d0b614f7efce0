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

    /// <summary>The total sealed to this enclave (MRENCLAVE), for the host to keep.</summary>
    [Trusted]
    public byte[] SealTotal() => EnclaveSealing.Seal(BitConverter.GetBytes(_total), SealingPolicy.MrEnclave);

    /// <summary>Takes back a total sealed by <see cref="SealTotal"/>, by this instance or an earlier one.</summary>
    [Trusted]
    public long UnsealTotal(byte[] sealedTotal)
    {
        // Unsealed data is secret by default; this total is not (every Add returns it to the host).
        _total = Secrets.Declassify(BitConverter.ToInt64(EnclaveSealing.Unseal(sealedTotal)), "the ledger's total is public: every Add returns it");
        return _total;
    }

    [Untrusted]
    private static partial void Audit(string entry);
}
