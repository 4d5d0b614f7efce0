using System.Runtime.CompilerServices;

namespace EnclaveGen.Runtime.Tests;

/// <summary>Keeps the tests' emulated platform store out of the user's home: a fresh ENCLAVEGEN_HOME per run.</summary>
internal static class TestEnvironment
{
    [ModuleInitializer]
    internal static void UseTemporaryEnclaveGenHome()
    {
        if (Environment.GetEnvironmentVariable("ENCLAVEGEN_HOME") is null)
        {
            string home = Path.Combine(Path.GetTempPath(), "enclavegen-tests-" + Environment.ProcessId);
            Environment.SetEnvironmentVariable("ENCLAVEGEN_HOME", home);
        }
    }
}
