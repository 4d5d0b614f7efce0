using System.Collections;
using EnclaveGen.Tests;

namespace EnclaveGen.Identity.Tests;

/// <summary>Runs `dotnet` commands for the build tests against their own EnclaveGen home.</summary>
internal static class ProcessRunner
{
    /// <summary>Runs `dotnet &lt;arguments&gt;` in <paramref name="workingDirectory"/> with ENCLAVEGEN_HOME set to <paramref name="home"/>.</summary>
    public static DotnetProcess.Result Dotnet(string workingDirectory, string home, params string[] arguments)
        => DotnetWith(workingDirectory, home, new Dictionary<string, string>(), TimeSpan.FromMinutes(5), arguments);

    /// <summary>The same, with <paramref name="variables"/> set too and a time limit of its own.</summary>
    public static DotnetProcess.Result DotnetWith(string workingDirectory, string home, IReadOnlyDictionary<string, string> variables, TimeSpan timeout, params string[] arguments)
    {
        Dictionary<string, string> environment = new(variables) { ["ENCLAVEGEN_HOME"] = home };

        // These builds restore through the test run's own NuGet settings (its package cache), unlike the package tests.
        foreach (DictionaryEntry variable in Environment.GetEnvironmentVariables())
        {
            if (variable.Key is string name && name.StartsWith("NUGET_", StringComparison.OrdinalIgnoreCase) && variable.Value is string value)
            {
                environment[name] = value;
            }
        }

        return DotnetProcess.Run(workingDirectory, environment, timeout, arguments);
    }
}
