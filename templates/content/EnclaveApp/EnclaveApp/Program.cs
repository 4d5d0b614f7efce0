using EnclaveApp.Enclave;
using EnclaveGen;

// `dotnet run --project EnclaveApp -- --isolated` runs the enclave in a process of its own (Linux).
EnclaveMode mode = args.Contains("--isolated") ? EnclaveMode.Isolated : EnclaveMode.InProcess;

await using Greeter.Proxy greeter = await Greeter.CreateEnclaveAsync(new ConsoleHost(), new EnclaveOptions { Mode = mode });
Console.WriteLine($"Enclave started ({mode}).");

foreach (string name in new[] { "Alice", "Bob", "Alice" })
{
    // An ECALL: the arguments are sealed, the call runs inside, the result is sealed back.
    Console.WriteLine(greeter.Greet(name));
}

/// <summary>The host's side of the enclave's OCALLs.</summary>
internal sealed class ConsoleHost : Greeter.IUntrusted
{
    public void Log(string message) => Console.WriteLine($"  [host] the enclave says: {message}");
}
