using System.Diagnostics;

namespace EnclaveGen.Identity.Tests;

/// <summary>This test assembly run as a child process (one of <see cref="Program"/>'s commands), its output redirected.</summary>
internal static class ChildProcess
{
    public static Process Start(params string[] arguments)
    {
        ProcessStartInfo start = new("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(typeof(ChildProcess).Assembly.Location);
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start) ?? throw new InvalidOperationException($"The child process ({arguments[0]}) did not start.");
    }

    /// <summary>The child's next line of output; a child that ends or stalls for two minutes fails the test with its error output.</summary>
    public static string ReadLine(Process child)
    {
        Task<string?> line = child.StandardOutput.ReadLineAsync();
        if (!line.Wait(TimeSpan.FromMinutes(2)) || line.Result is null)
        {
            throw new InvalidOperationException($"The child process stopped or stalled: {child.StandardError.ReadToEnd()}");
        }

        return line.Result;
    }
}
