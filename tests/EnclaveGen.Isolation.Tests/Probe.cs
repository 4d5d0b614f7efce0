using System.Diagnostics;
using EnclaveGen.Runtime.Transport.Isolated;

namespace EnclaveGen.Isolation.Tests;

/// <summary>Runs this test assembly as the probe program (see <see cref="Program"/>), optionally as another user.</summary>
internal sealed class Probe : IDisposable
{
    public const int Nobody = 65534;

    private readonly Process _process;
    private readonly string? _copiedFolder;

    private Probe(Process process, Dictionary<string, string> values, string? copiedFolder)
    {
        _process = process;
        Values = values;
        _copiedFolder = copiedFolder;
    }

    public Dictionary<string, string> Values { get; }

    public int ProcessId => _process.Id;

    public string this[string key] => Values.TryGetValue(key, out string? value) ? value : throw new KeyNotFoundException($"The probe did not report {key}; it said: {string.Join(", ", Values.Select(pair => $"{pair.Key}={pair.Value}"))}");

    /// <summary>Starts the probe with <paramref name="arguments"/> and reads what it reports up to READY.</summary>
    public static Probe Start(IEnumerable<string> arguments, int? uid = null)
    {
        string folder = AppContext.BaseDirectory;
        string? copied = null;
        if (uid is not null && !ReadableBy(uid.Value, Path.Combine(folder, "EnclaveGen.Isolation.Tests.dll")))
        {
            folder = copied = CopyToSharedFolder(folder);
        }

        string assembly = Path.Combine(folder, "EnclaveGen.Isolation.Tests.dll");
        ProcessStartInfo start = new()
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = folder,
        };
        if (uid is { } user)
        {
            start.FileName = "setpriv";
            foreach (string argument in new[] { $"--reuid={user}", $"--regid={user}", "--clear-groups", "--" })
            {
                start.ArgumentList.Add(argument);
            }

            start.ArgumentList.Add(EnclaveHostLocator.FindDotnet());
            start.Environment["HOME"] = Path.GetTempPath();
        }
        else
        {
            start.FileName = EnclaveHostLocator.FindDotnet();
        }

        foreach (string argument in new[] { "exec", "--runtimeconfig", Path.ChangeExtension(assembly, ".runtimeconfig.json"), "--depsfile", Path.ChangeExtension(assembly, ".deps.json"), assembly })
        {
            start.ArgumentList.Add(argument);
        }

        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_EnableDiagnostics"] = "0";
        Process process = Process.Start(start)!;
        Task<string> errors = process.StandardError.ReadToEndAsync();
        Dictionary<string, string> values = [];
        Task reading = Task.Run(() =>
        {
            while (process.StandardOutput.ReadLine() is { } line && line != "READY")
            {
                int equals = line.IndexOf('=');
                if (equals > 0)
                {
                    values[line[..equals]] = line[(equals + 1)..];
                }
            }
        });
        if (!reading.Wait(TimeSpan.FromMinutes(3)) || process.HasExited)
        {
            process.Kill();
            throw new InvalidOperationException($"The probe did not get ready (exit {(process.HasExited ? process.ExitCode : -1)}). Its errors: {errors.Result}");
        }

        return new Probe(process, values, copied);
    }

    /// <summary>Tells the probe to exit and waits for it.</summary>
    public void Finish()
    {
        _process.StandardInput.WriteLine("exit");
        _process.StandardInput.Flush();
        if (!_process.WaitForExit(TimeSpan.FromSeconds(30)))
        {
            _process.Kill();
        }
    }

    public void Kill() => _process.Kill();

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit(TimeSpan.FromSeconds(10));
        }

        _process.Dispose();
        if (_copiedFolder is not null)
        {
            Directory.Delete(_copiedFolder, recursive: true);
        }
    }

    private static bool ReadableBy(int uid, string path)
    {
        using Process check = Process.Start(new ProcessStartInfo("setpriv", [$"--reuid={uid}", $"--regid={uid}", "--clear-groups", "--", "test", "-r", path]) { UseShellExecute = false })!;
        check.WaitForExit();
        return check.ExitCode == 0;
    }

    // The build output sits in a folder the other user cannot enter: copy it where it can.
    private static string CopyToSharedFolder(string folder)
    {
        string target = Path.Combine(Path.GetTempPath(), $"enclavegen-probe-{Environment.ProcessId}");
        foreach (string file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
        {
            string copy = Path.Combine(target, Path.GetRelativePath(folder, file));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(file, copy, overwrite: true);
        }

        foreach (string directory in Directory.EnumerateDirectories(target, "*", SearchOption.AllDirectories).Prepend(target))
        {
            File.SetUnixFileMode(directory, (UnixFileMode)0b111_101_101);
        }

        return target;
    }
}
