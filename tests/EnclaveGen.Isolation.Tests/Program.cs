using System.Diagnostics;
using System.Reflection;
using System.Security.Cryptography;
using EnclaveGen.Isolation.Tests.Enclaves;
using EnclaveGen.Runtime.Generated;
using EnclaveGen.Runtime.Transport.Isolated;
using EnclaveGen.Tests;

namespace EnclaveGen.Isolation.Tests;

/// <summary>
/// The probe: this test assembly run as a program, so the tests can play an untrusted host in a
/// process of its own (as another user, or one they kill). It prints KEY=VALUE lines, then READY,
/// and exits when a line arrives on its standard input.
/// </summary>
/// <remarks>
/// <c>probe &lt;InProcess|Isolated&gt; &lt;seed hex&gt; &lt;secret prefix hex&gt; &lt;secret SHA-256 hex&gt;</c>: keeps a
/// secret in a <see cref="SecretKeeper"/> enclave, then tries to read the enclave process's memory,
/// reads a same-user ordinary process's memory as a control, and scans its own memory for the secret
/// (and for a canary of its own, to show the scan works). <c>hold</c>: starts an isolated enclave and
/// waits, for the host-death test.
/// </remarks>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args is ["hold"])
        {
            await using Soak.Proxy soak = await Soak.CreateEnclaveAsync(new SoakHost(1, 1), new EnclaveOptions { Mode = EnclaveMode.Isolated });
            Console.WriteLine($"CHILD_PID={ChildOf(soak).ProcessId}");
            Console.WriteLine("READY");
            Console.ReadLine();
            return 0;
        }

        if (args is not ["probe", string mode, string seed, string prefix, string hash])
        {
            Console.Error.WriteLine("usage: probe <InProcess|Isolated> <seed hex> <secret prefix hex> <secret SHA-256 hex> | hold");
            return 64;
        }

        await using SecretKeeper.Proxy keeper = await SecretKeeper.CreateEnclaveAsync(new EnclaveOptions { Mode = Enum.Parse<EnclaveMode>(mode) });
        Console.WriteLine($"COMMITMENT={Convert.ToHexStringLower(keeper.Keep(Convert.FromHexString(seed)))}");
        Console.WriteLine($"UID={Environment.GetEnvironmentVariable("USER")}/{GetUid()}");
        Console.WriteLine($"ENCLAVEGEN_HOME={EnclaveGen.Runtime.Platform.EnclaveGenHome.Resolve()}");

        if (mode == nameof(EnclaveMode.Isolated))
        {
            IsolatedTransport child = ChildOf(keeper);
            Console.WriteLine($"CHILD_PID={child.ProcessId}");
            Console.WriteLine($"HARDENING={child.Hardening}");
            Console.WriteLine($"CHILD_MEM={TryReadMemory(child.ProcessId)}");
        }

        // Control: an ordinary process of the same user, which this process may read.
        using (Process sibling = Process.Start(new ProcessStartInfo("sleep", "60") { UseShellExecute = false })!)
        {
            Thread.Sleep(200);
            Console.WriteLine($"SIBLING_MEM={TryReadMemory(sibling.Id)}");
            sibling.Kill();
        }

        byte[] canary = RandomNumberGenerator.GetBytes(32);
        MemoryScanner.Result secret = MemoryScanner.Scan("self", Convert.FromHexString(prefix), Convert.FromHexString(hash));
        MemoryScanner.Result control = MemoryScanner.Scan("self", canary[..4], SHA256.HashData(canary));
        GC.KeepAlive(canary);
        Console.WriteLine($"SECRET_HITS={secret.Hits}");
        Console.WriteLine($"SCANNED_BYTES={secret.BytesScanned}");
        Console.WriteLine($"SCANNED_REGIONS={secret.Regions}");
        Console.WriteLine($"CANARY_HITS={control.Hits}");
        Console.WriteLine($"TOUCH={keeper.Touch()}");
        Console.WriteLine("READY");
        Console.ReadLine();
        return 0;
    }

    /// <summary>The isolated transport behind a generated proxy (every proxy exposes its binding through IEnclaveProxy).</summary>
    internal static IsolatedTransport ChildOf<TProxy>(TProxy proxy)
        where TProxy : class, IEnclaveProxy<TProxy> =>
        (IsolatedTransport)proxy.Binding.Connection.Transport;

    // Opens /proc/<pid>/mem, then reads 16 bytes at the first readable address of its maps (or a
    // typical one if the maps are closed too). Says which step was refused.
    private static string TryReadMemory(int pid)
    {
        FileStream memory;
        try
        {
            memory = new FileStream($"/proc/{pid}/mem", FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return $"denied-open:{exception.GetType().Name}";
        }

        using (memory)
        {
            long address = 0x400000;
            try
            {
                string first = File.ReadLines($"/proc/{pid}/maps").First(line => line.Split(' ')[1][0] == 'r');
                address = Convert.ToInt64(first.Split('-')[0], 16);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
            }

            try
            {
                memory.Seek(address, SeekOrigin.Begin);
                return $"read:{memory.Read(new byte[16])}";
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                return $"denied-read:{exception.GetType().Name}";
            }
        }
    }

    private static string GetUid() => File.ReadLines("/proc/self/status").First(line => line.StartsWith("Uid:", StringComparison.Ordinal)).Split('\t', StringSplitOptions.RemoveEmptyEntries)[1];
}
