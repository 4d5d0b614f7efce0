using System.Diagnostics;
using System.Runtime.InteropServices;

namespace PrivateInference.Host;

/// <summary>
/// Starts the model owner as a process of its own: this same program (its .dll) in the <c>owner</c>
/// role, run by the same <c>dotnet</c> host and runtime as this process, and reads its address.
/// </summary>
internal sealed class OwnerProcess : IDisposable
{
    private readonly Process _process;
    private readonly Task<string> _errors;

    private OwnerProcess(Process process, Uri address, byte[] certificate)
    {
        _process = process;
        _errors = process.StandardError.ReadToEndAsync();
        Address = address;
        Certificate = certificate;
    }

    /// <summary>The owner's release endpoint.</summary>
    public Uri Address { get; }

    /// <summary>The owner's TLS certificate (DER), which the enclave pins.</summary>
    public byte[] Certificate { get; }

    public static async Task<OwnerProcess> StartAsync(IReadOnlyList<string> ownerArguments, TimeSpan timeout)
    {
        string program = typeof(OwnerProcess).Assembly.Location;
        string runtimeConfig = Path.ChangeExtension(program, ".runtimeconfig.json");
        if (!File.Exists(runtimeConfig))
        {
            throw new FileNotFoundException($"The model owner runs {Path.GetFileName(program)} with its runtime configuration, which is missing: {runtimeConfig}. Build the PrivateInference project.", runtimeConfig);
        }

        ProcessStartInfo start = new(FindDotnet()) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in (string[])["exec", "--runtimeconfig", runtimeConfig, program, "owner", .. ownerArguments])
        {
            start.ArgumentList.Add(argument);
        }

        Process process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start the model owner's process ({start.FileName}).");
        try
        {
            string? ready = await process.StandardOutput.ReadLineAsync().WaitAsync(timeout);
            string[] parts = ready?.Split(' ') ?? [];
            if (parts is not ["ready", string address, string certificate])
            {
                throw new InvalidOperationException($"The model owner's process did not start its service (it printed '{ready}'): {await process.StandardError.ReadToEndAsync()}");
            }

            return new OwnerProcess(process, new Uri(address), Convert.FromBase64String(certificate));
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }
    }

    /// <summary>Stops the service (closes its standard input) and returns the lines it printed.</summary>
    public async Task<IReadOnlyList<string>> StopAsync(TimeSpan timeout)
    {
        _process.StandardInput.Close();
        string text = await _process.StandardOutput.ReadToEndAsync().WaitAsync(timeout);
        await _process.WaitForExitAsync().WaitAsync(timeout);
        return _process.ExitCode == 0
            ? text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : throw new InvalidOperationException($"The model owner's process exited with {_process.ExitCode}: {await _errors}");
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    /// <summary>The dotnet host (muxer) of the runtime this process runs on.</summary>
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
