using EnclaveGen;

namespace HelloEnclave;

/// <summary>
/// A tiny enclave: it remembers who visited, which the host never sees, and reports each visit
/// to the host through an OCALL.
/// </summary>
[Enclave]
public partial class Greeter
{
    // Enclave state: lives inside, never crosses the boundary.
    private readonly Dictionary<string, int> _visits = new(StringComparer.Ordinal);

    /// <summary>An ECALL: the host calls it through the proxy; it runs inside.</summary>
    [Trusted]
    public string Greet(string name)
    {
        _visits.TryGetValue(name, out int count);
        _visits[name] = ++count;
        Log($"a visitor was greeted; {_visits.Count} distinct visitors so far");
        return count == 1 ? $"Hello, {name}!" : $"Welcome back, {name} (visit {count}).";
    }

    /// <summary>An ECALL that returns an aggregate, not the names behind it.</summary>
    [Trusted]
    public int DistinctVisitors() => _visits.Count;

    /// <summary>An OCALL: trusted code calls it; the host implements it.</summary>
    [Untrusted]
    private static partial void Log(string message);
}
