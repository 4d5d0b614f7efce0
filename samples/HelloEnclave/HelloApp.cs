using System.Text;
using EnclaveGen;
using HelloEnclave;

namespace HelloEnclave.Host;

/// <summary>The sample's whole story, callable from Program and from the end-to-end test.</summary>
public static class HelloApp
{
    /// <summary>Runs the sample: through the proxy, or, under <see cref="TeeProfile.TrustZoneEmulated"/>, as a trusted application opened by UUID.</summary>
    /// <param name="output">Where the story is told.</param>
    /// <param name="mode">In-process or isolated.</param>
    /// <param name="profile">The TEE profile; null for ENCLAVEGEN_PLATFORM or the default.</param>
    public static async Task RunAsync(TextWriter output, EnclaveMode mode = EnclaveMode.InProcess, TeeProfile? profile = null)
    {
        if (profile == TeeProfile.TrustZoneEmulated)
        {
            await RunAsTrustedApplicationAsync(output, mode);
            return;
        }

        output.WriteLine("HelloEnclave: one ECALL into an enclave, one OCALL back out.");
        if (mode == EnclaveMode.Isolated)
        {
            output.WriteLine("(isolated mode: the enclave runs in a process of its own)");
        }

        output.WriteLine();

        BoundaryWatcher watcher = new(output);
        await using Greeter.Proxy greeter = await Greeter.CreateEnclaveAsync(
            new ConsoleHost(output),
            new EnclaveOptions { Mode = mode, Interceptor = watcher, Profile = profile });

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

    /// <summary>
    /// The same enclave class as a trusted application in an emulated TrustZone secure world: the
    /// host is a normal-world client that opens a session by UUID and invokes commands, as a
    /// GlobalPlatform TEE Client API program does; the same generated stubs cross underneath.
    /// </summary>
    private static async Task RunAsTrustedApplicationAsync(TextWriter output, EnclaveMode mode)
    {
        output.WriteLine("HelloEnclave as a trusted application (profile trustzone-emulated): a normal-world client opens a session by UUID and invokes commands.");
        output.WriteLine("emulated TrustZone: no secure world here; the enclave's evidence would be an EMULATED PSA attestation token.");
        output.WriteLine();

        BoundaryWatcher watcher = new(output);
        await using TeeContext context = new(new EnclaveOptions { Mode = mode, Interceptor = watcher, Profile = TeeProfile.TrustZoneEmulated });
        output.WriteLine($"client -> OpenSession({Greeter.TrustedApplication.Uuid})");
        await using TeeSession session = await context.OpenSessionAsync(Greeter.TrustedApplication.Uuid, new ConsoleHost(output));
        output.WriteLine($"client <- session with {session.EnclaveTypeName}, MRENCLAVE {session.Identity.Mrenclave}");
        output.WriteLine();

        foreach (string name in new[] { "Alice", "Bob", "Alice" })
        {
            output.WriteLine($"client -> InvokeCommand(0x{Greeter.TrustedApplication.Commands.Greet:x8} Greet, [in \"{name}\", out])");
            watcher.Watch(name);
            TeeOperation greet = new(TeeParameter.Input(name), TeeParameter.Output());
            session.InvokeCommand(Greeter.TrustedApplication.Commands.Greet, greet);
            output.WriteLine($"client <- \"{greet[1].Get<string>()}\"");
            output.WriteLine();
        }

        output.WriteLine($"client -> InvokeCommand(0x{Greeter.TrustedApplication.Commands.DistinctVisitors:x8} DistinctVisitors, [out])");
        TeeOperation visitors = new(TeeParameter.Output());
        session.InvokeCommand(Greeter.TrustedApplication.Commands.DistinctVisitors, visitors);
        output.WriteLine($"client <- {visitors[0].Get<int>()}");
        output.WriteLine();

        try
        {
            session.InvokeCommand(0xDEADBEEF, new TeeOperation());
        }
        catch (TeeException unknown)
        {
            output.WriteLine($"client -> InvokeCommand(0xdeadbeef) <- {unknown.Result} (0x{(uint)unknown.Result:x8}) from {unknown.Origin}");
        }

        output.WriteLine("client -> CloseSession()");
        output.WriteLine("The visitor list stayed inside the trusted application; the normal world saw only sealed messages.");
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
