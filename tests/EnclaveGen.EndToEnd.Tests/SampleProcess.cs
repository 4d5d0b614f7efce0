using EnclaveGen.Tests;

namespace EnclaveGen.EndToEnd.Tests;

/// <summary>Runs a sample's app host from this test's output folder (the samples are project references), as a user runs it.</summary>
internal static class SampleProcess
{
    /// <summary>Runs <paramref name="sample"/> with its EnclaveGen home at <paramref name="home"/>.</summary>
    public static (int ExitCode, string Output, string Error) Run(string sample, string home, string[] arguments)
    {
        string program = Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? sample + ".exe" : sample);
        return DotnetProcess.ExecSeparately(program, AppContext.BaseDirectory, new Dictionary<string, string> { ["ENCLAVEGEN_HOME"] = home }, arguments);
    }
}
