using System.Runtime.CompilerServices;

namespace EnclaveGen.Tests;

/// <summary>
/// Keeps the tests' emulated platform store out of the user's home: a fresh ENCLAVEGEN_HOME per
/// test process. Linked into each test project that loads enclaves on the file-backed platform.
/// </summary>
internal static class TemporaryEnclaveGenHome
{
    [ModuleInitializer]
    internal static void Use()
    {
        if (Environment.GetEnvironmentVariable("ENCLAVEGEN_HOME") is null)
        {
            string home = Path.Combine(Path.GetTempPath(), "enclavegen-tests-" + Environment.ProcessId);
            Environment.SetEnvironmentVariable("ENCLAVEGEN_HOME", home);
        }
    }
}
