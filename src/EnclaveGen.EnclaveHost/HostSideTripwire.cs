using System.Reflection;
using EnclaveGen.Runtime.Identity;
using EnclaveGen.Runtime.Transport.Isolated;

namespace EnclaveGen.EnclaveHost;

/// <summary>
/// Keeps the runtime's host-side libraries (<see cref="HostSideAssemblies"/>, logging) out of the
/// enclave process. MRENCLAVE leaves them out, and this process would find them in the app's folder
/// (the enclave host has no deps file of its own), so none of their code may run here: the runtime's
/// enclave side never uses them and never loads them. Should anything load one all the same (trusted
/// code through reflection, or a change to the runtime), the process ends at once, before any code
/// of that library runs, and says why on standard error, which the host shows in its
/// <c>EnclaveLostException</c>.
/// </summary>
internal static class HostSideTripwire
{
    /// <summary>The enclave process's exit code when a host-side library was loaded into it.</summary>
    public const int ExitCode = 5;

    /// <summary>Watches every assembly this process loads from now on, and those it already has.</summary>
    public static void Arm()
    {
        AppDomain.CurrentDomain.AssemblyLoad += static (_, loaded) => Check(loaded.LoadedAssembly);
        foreach (Assembly assembly in AppDomain.CurrentDomain.GetAssemblies())
        {
            Check(assembly);
        }
    }

    private static void Check(Assembly assembly)
    {
        string name = assembly.GetName().Name ?? "";
        if (!HostSideAssemblies.Contains(name))
        {
            return;
        }

        // The assembly is loaded but none of its code has run: its types are used only after this
        // event returns. Ending the process here keeps it that way (a halt would let this call go on).
        Console.Error.WriteLine(
            $"The enclave process loaded '{name}', a library the EnclaveGen runtime uses on the host's side only, which MRENCLAVE leaves out; " +
            "unmeasured code never runs inside an enclave, so the enclave process ended before any of it ran. Log from the host, through an [Untrusted] method.");
        Libc.ExitNow(ExitCode);
    }
}
