using EnclaveGen;

namespace EnclaveApp.Enclave;

/// <summary>
/// The enclave: it remembers who visited, which the host never sees, and tells the host how many
/// distinct visitors there were through an OCALL.
/// </summary>
[Enclave]
public partial class Greeter
{
    // Enclave state: it lives inside and never crosses the boundary.
    private readonly Dictionary<string, int> _visits = new(StringComparer.Ordinal);

    /// <summary>An ECALL: the host calls it through the generated proxy; it runs inside.</summary>
    [Trusted]
    public string Greet(string name)
    {
        _visits.TryGetValue(name, out int count);
        _visits[name] = ++count;
        Log($"{_visits.Count} distinct visitor(s) so far");
        return count == 1 ? $"Hello, {name}!" : $"Welcome back, {name} (visit {count}).";
    }

    /// <summary>An OCALL: trusted code calls it; the host implements it (Greeter.IUntrusted).</summary>
    [Untrusted]
    private static partial void Log(string message);
}
