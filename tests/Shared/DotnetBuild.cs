using System.Diagnostics;
using System.Text;

namespace EnclaveGen.Tests;

/// <summary>Runs <c>dotnet build</c> on a temporary project, as the planted-leak tests need it (linked into each test project that builds one).</summary>
internal static class DotnetBuild
{
    /// <summary>The repository's root: the folder above the test's output that holds EnclaveGen.sln.</summary>
    public static string RepositoryRoot()
    {
        for (DirectoryInfo? at = new(AppContext.BaseDirectory); at is not null; at = at.Parent)
        {
            if (File.Exists(Path.Combine(at.FullName, "EnclaveGen.sln")))
            {
                return at.FullName;
            }
        }

        throw new InvalidOperationException("The tests run outside the repository: EnclaveGen.sln was not found above " + AppContext.BaseDirectory);
    }

    /// <summary>Builds the project in <paramref name="folder"/>; gives the exit code and everything it printed.</summary>
    public static async Task<(int ExitCode, string Log)> RunAsync(string folder)
    {
        ProcessStartInfo start = new("dotnet")
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };

        // No build server or node left behind after the test.
        foreach (string argument in new[] { "build", "-nologo", "-nodeReuse:false", "-p:UseSharedCompilation=false", "-clp:NoSummary" })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";

        // `dotnet test` passes MSBuild settings down that would point the child build at this test's build.
        foreach (string variable in new[] { "MSBuildExtensionsPath", "MSBuildSDKsPath", "MSBUILD_EXE_PATH", "MSBuildLoadMicrosoftTargetsReadOnly" })
        {
            start.Environment.Remove(variable);
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException("could not start 'dotnet build'");
        StringBuilder log = new();
        Task stdout = PumpAsync(process.StandardOutput, log);
        Task stderr = PumpAsync(process.StandardError, log);
        using CancellationTokenSource timeout = new(TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"'dotnet build' in {folder} did not finish in 5 minutes:\n{log}");
        }

        await Task.WhenAll(stdout, stderr);
        return (process.ExitCode, log.ToString());
    }

    private static async Task PumpAsync(StreamReader reader, StringBuilder log)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            lock (log)
            {
                log.AppendLine(line);
            }
        }
    }
}
