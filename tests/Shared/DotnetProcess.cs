using System.Diagnostics;
using System.Text;

namespace EnclaveGen.Tests;

/// <summary>
/// Runs `dotnet` as a user's shell would: without the variables `dotnet test` passes down, with a
/// time limit. Linked into each test project that starts builds or tools.
/// </summary>
public static class DotnetProcess
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromMinutes(5);

    public sealed record Result(int ExitCode, string Output)
    {
        public Result EnsureSuccess(string what)
            => ExitCode == 0 ? this : throw new InvalidOperationException($"{what} failed with exit code {ExitCode}:\n{Output}");
    }

    /// <summary>Runs `dotnet &lt;arguments&gt;` in <paramref name="workingDirectory"/> with <paramref name="environment"/> set on top of the cleaned variables.</summary>
    public static Result Run(string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] arguments)
        => Exec("dotnet", workingDirectory, environment, arguments);

    /// <summary>The same, with a time limit of its own (a trimmed publish takes longer than the usual limit on a loaded machine).</summary>
    public static Result Run(string workingDirectory, IReadOnlyDictionary<string, string> environment, TimeSpan timeout, params string[] arguments)
        => Exec("dotnet", workingDirectory, environment, timeout, arguments);

    /// <summary>Runs <paramref name="program"/> (an installed tool's command, say) the same way.</summary>
    public static Result Exec(string program, string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] arguments)
        => Exec(program, workingDirectory, environment, s_timeout, arguments);

    private static Result Exec(string program, string workingDirectory, IReadOnlyDictionary<string, string> environment, TimeSpan timeout, string[] arguments)
    {
        ProcessStartInfo start = Prepare(program, workingDirectory, environment, arguments);
        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start.");
        StringBuilder output = new();
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', arguments)} did not finish within {timeout}:\n{output}");
        }

        process.WaitForExit();
        lock (output)
        {
            return new Result(process.ExitCode, output.ToString());
        }
    }

    /// <summary>Runs <paramref name="program"/> the same way, keeping its standard output and standard error apart.</summary>
    public static (int ExitCode, string Output, string Error) ExecSeparately(string program, string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        using Process process = Process.Start(Prepare(program, workingDirectory, environment, arguments)) ?? throw new InvalidOperationException($"{program} did not start.");
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(s_timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', arguments)} did not finish within {s_timeout}.");
        }

        process.WaitForExit();
        return (process.ExitCode, output.Result, error.Result);
    }

    private static ProcessStartInfo Prepare(string program, string workingDirectory, IReadOnlyDictionary<string, string> environment, string[] arguments)
    {
        ProcessStartInfo start = new(program)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // The test host runs under MSBuild and VSTest: MSBuildExtensionsPath, MSBUILD_EXE_PATH,
        // MSBuildSDKsPath, DOTNET_HOST_PATH and the like would steer the child build to this
        // repository's SDK state instead of a user's.
        foreach (string name in start.Environment.Keys.ToList())
        {
            if (name.Contains("MSBUILD", StringComparison.OrdinalIgnoreCase)
                || name.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)
                || name.StartsWith("TESTINGPLATFORM", StringComparison.OrdinalIgnoreCase)
                || name.StartsWith("NUGET_", StringComparison.OrdinalIgnoreCase) && name != "NUGET_CERT_REVOCATION_MODE"
                || name is "DOTNET_HOST_PATH" or "DOTNET_CLI_UI_LANGUAGE" or "ENCLAVEGEN_HOME")
            {
                start.Environment.Remove(name);
            }
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        start.Environment["DOTNET_CLI_UI_LANGUAGE"] = "en";
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        foreach ((string name, string value) in environment)
        {
            start.Environment[name] = value;
        }

        return start;
    }
}
