using System.Text;
using EnclaveGen;
using HelloEnclave;

namespace HelloEnclave.Host;

/// <summary>The sample's whole story, callable from Program and from the end-to-end test.</summary>
public static class HelloApp
{
    public static async Task RunAsync(TextWriter output, EnclaveMode mode = EnclaveMode.InProcess)
    {
        output.WriteLine("HelloEnclave: one ECALL into an enclave, one OCALL back out.");
        if (mode == EnclaveMode.Isolated)
        {
            output.WriteLine("(isolated mode: the enclave runs in a process of its own)");
        }

        output.WriteLine();

        BoundaryWatcher watcher = new(output);
        await using Greeter.Proxy greeter = await Greeter.CreateEnclaveAsync(
            new ConsoleHost(output),
            new EnclaveOptions { Mode = mode, Interceptor = watcher });

        foreach (string name in new[] { "Alice", "Bob", "Alice" })
        {
            output.WriteLine($"host -> ECALL Greet(\"{name}\")");
            watcher.Watch(name);
            string reply = greeter.Greet(name);
            output.WriteLine($"host <- \"{reply}\"");
            output.WriteLine();
        }

        output.WriteLine("host -> ECALL DistinctVisitors()");
        int visitors = greeter.DistinctVisitors();
        output.WriteLine($"host <- {visitors}");
        output.WriteLine();
        output.WriteLine("The visitor list stayed inside the enclave; the host saw only sealed messages.");
    }

    /// <summary>The host's side of the OCALLs.</summary>
    private sealed class ConsoleHost(TextWriter output) : Greeter.IUntrusted
    {
        public void Log(string message) => output.WriteLine($"  host served OCALL Log(\"{message}\")");
    }

    /// <summary>Shows what the host can see of each crossing: sealed bytes, with the plaintext nowhere in them.</summary>
    private sealed class BoundaryWatcher(TextWriter output) : BoundaryInterceptor
    {
        private byte[] _secretUtf16 = [];

        public void Watch(string plaintext) => _secretUtf16 = Encoding.Unicode.GetBytes(plaintext);

        public override byte[]? OnMessage(BoundaryMessage message)
        {
            bool visible = _secretUtf16.Length > 0 && message.Bytes.IndexOf(_secretUtf16) >= 0;
            string arrow = message.Direction == BoundaryDirection.HostToEnclave ? "into enclave" : "out of enclave";
            output.WriteLine($"  [boundary] {message.Kind,-12} {arrow,-14} {message.Bytes.Length,3} sealed bytes; plaintext name visible to host: {(visible ? "YES" : "no")}");
            return null;
        }
    }
}
