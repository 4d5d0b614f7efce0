using EnclaveGen;

namespace WorkerService;

/// <summary>Keeps a total per account inside; tells the host only how many accounts it holds.</summary>
[Enclave]
public partial class Tally
{
    private readonly Dictionary<string, long> _totals = new(StringComparer.Ordinal);

    // The account names are public (the host sent them); kept apart from the secret totals so the
    // count the host learns depends on nothing secret.
    private readonly HashSet<string> _accounts = new(StringComparer.Ordinal);

    /// <summary>Adds an amount to an account; the amount and the totals stay inside.</summary>
    [Trusted]
    public int Add(string account, [Secret] long amount)
    {
        _totals[account] = _totals.GetValueOrDefault(account) + amount;
        _accounts.Add(account);
        Report(_accounts.Count);
        return _accounts.Count;
    }

    /// <summary>An OCALL: the host logs how many accounts the enclave holds.</summary>
    [Untrusted]
    private static partial void Report(int accounts);
}
