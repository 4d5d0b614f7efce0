using System.Diagnostics;
using System.Runtime.InteropServices;

namespace JointStatistics.Host;

/// <summary>What one party process did: its name, exit code and everything it printed.</summary>
/// <param name="Name">The party.</param>
/// <param name="ExitCode">Its exit code (see <see cref="Parties.PartyApp"/>).</param>
/// <param name="Output">What it wrote to standard output, line by line.</param>
/// <param name="Errors">What it wrote to standard error.</param>
public sealed record PartyOutcome(string Name, int ExitCode, IReadOnlyList<string> Output, string Errors);

/// <summary>
/// Starts a party as a process of its own: this same program (its .dll) in the <c>party</c> role,
/// run by the same <c>dotnet</c> host and runtime as this process.
/// </summary>
internal static class PartyProcess
{
    public static Process Start(IReadOnlyList<string> partyArguments)
    {
        string program = typeof(PartyProcess).Assembly.Location;
        var start = new ProcessStartInfo(FindDotnet())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("exec");
        string runtimeConfig = Path.ChangeExtension(program, ".runtimeconfig.json");
        if (!File.Exists(runtimeConfig))
        {
            throw new FileNotFoundException($"A party runs {Path.GetFileName(program)} with its runtime configuration, which is missing: {runtimeConfig}. Build the JointStatistics project.", runtimeConfig);
        }

        start.ArgumentList.Add("--runtimeconfig");
        start.ArgumentList.Add(runtimeConfig);
        start.ArgumentList.Add(program);
        start.ArgumentList.Add("party");
        foreach (string argument in partyArguments)
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start) ?? throw new InvalidOperationException($"Could not start a party process ({start.FileName}).");
    }

    public static async Task<PartyOutcome> WaitAsync(string name, Process process, TimeSpan timeout)
    {
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> errors = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            throw new TimeoutException($"Party {name} did not finish within {timeout.TotalSeconds:0} s; it was stopped. It printed:\n{await output}{await errors}");
        }

        string text = await output;
        return new PartyOutcome(name, process.ExitCode, text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), await errors);
    }

    /// <summary>The dotnet host (muxer) of the runtime this process runs on, as the runtime's isolated mode finds it.</summary>
    private static string FindDotnet()
    {
        string? processPath = Environment.ProcessPath;
        if (processPath is not null && Path.GetFileNameWithoutExtension(processPath) == "dotnet")
        {
            return processPath;
        }

        // Started through the app host (`dotnet run`) or a test host: the muxer sits three levels
        // above the shared framework folder (dotnet/shared/Microsoft.NETCore.App/<version>/).
        string executable = OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet";
        List<string> candidates = [Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", "..", executable))];
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } hostPath)
        {
            candidates.Add(hostPath);
        }

        return candidates.FirstOrDefault(File.Exists)
            ?? throw new FileNotFoundException($"The dotnet host was not found (looked at {string.Join(", ", candidates)}).");
    }
}
