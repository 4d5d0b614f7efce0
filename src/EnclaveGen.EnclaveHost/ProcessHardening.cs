using Microsoft.Win32.SafeHandles;
using EnclaveGen.Runtime.Transport.Isolated;

namespace EnclaveGen.EnclaveHost;

/// <summary>What the enclave process does to itself before it holds anything worth protecting.</summary>
internal static class ProcessHardening
{
    /// <summary>
    /// Makes the process non-dumpable (a same-user, non-root process can no longer ptrace it or
    /// open its /proc/&lt;pid&gt;/mem, maps or environ, and the kernel writes no core dump of it) and sets
    /// RLIMIT_CORE to 0 as a second lock on core dumps. Returns what is now in force.
    /// </summary>
    public static string Apply()
    {
        Libc.MakeNonDumpable();
        Libc.DisableCoreDumps();
        return $"dumpable={(Libc.IsDumpable() ? 1 : 0)}; RLIMIT_CORE={Libc.CoreLimit()}; DOTNET_EnableDiagnostics={Environment.GetEnvironmentVariable("DOTNET_EnableDiagnostics") ?? "(unset)"}";
    }

    /// <summary>
    /// Keeps standard input and output for the control channel and points descriptors 0 and 1 at
    /// /dev/null and standard error, so trusted code that writes to the console cannot corrupt it.
    /// </summary>
    public static (Stream Input, Stream Output) TakeControlChannel()
    {
        int input = Libc.Duplicate(0);
        int output = Libc.Duplicate(1);
        Libc.Redirect(Libc.OpenDevNull(), 0);
        Libc.Redirect(2, 1);
        return (
            new FileStream(new SafeFileHandle(input, ownsHandle: true), FileAccess.Read, bufferSize: 0),
            new FileStream(new SafeFileHandle(output, ownsHandle: true), FileAccess.Write, bufferSize: 0));
    }
}
