using System.Diagnostics;
using System.Text;
using EnclaveGen.Runtime.Transport.Isolated;

namespace EnclaveGen.Isolation.Tests;

/// <summary>Runs this test assembly as the probe program (see <see cref="Program"/>), optionally as another user.</summary>
internal sealed class Probe : IDisposable
{
    public const int Nobody = 65534;

    private readonly Process _process;
    private readonly string? _copiedFolder;
    private readonly string? _home;
    private readonly StringBuilder _errors;

    private Probe(Process process, Dictionary<string, string> values, string? copiedFolder, string? home, StringBuilder errors)
    {
        _process = process;
        Values = values;
        _copiedFolder = copiedFolder;
        _home = home;
        _errors = errors;
    }

    public Dictionary<string, string> Values { get; }

    public int ProcessId => _process.Id;

    /// <summary>What the probe wrote to its standard error so far.</summary>
    public string Errors
    {
        get
        {
            lock (_errors)
            {
                return _errors.ToString();
            }
        }
    }

    public string this[string key] => Values.TryGetValue(key, out string? value) ? value : throw new KeyNotFoundException($"The probe did not report {key}; it said: {Said(Values)}; its standard error: {Quoted(Errors)}");

    /// <summary>
    /// Starts the probe with <paramref name="arguments"/> and reads what it reports up to READY. Run
    /// as another user (<paramref name="uid"/>), it gets an EnclaveGen home (and HOME) of its own:
    /// the one it would inherit belongs to the test's user and may be private to it.
    /// </summary>
    /// <param name="arguments">The probe's command line.</param>
    /// <param name="uid">Another user to run as (setpriv), or null for this user.</param>
    /// <param name="environment">Variables set for the probe before that (a test's stand-in for what it would inherit).</param>
    public static Probe Start(IEnumerable<string> arguments, int? uid = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        string folder = AppContext.BaseDirectory;
        string? copied = null;
        string? home = null;
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
        foreach ((string name, string value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        if (uid is { } user)
        {
            start.FileName = "setpriv";
            foreach (string argument in new[] { $"--reuid={user}", $"--regid={user}", "--clear-groups", "--" })
            {
                start.ArgumentList.Add(argument);
            }

            start.ArgumentList.Add(EnclaveHostLocator.FindDotnet());
            home = HomeOwnedBy(user);
            start.Environment["HOME"] = home;
            start.Environment["ENCLAVEGEN_HOME"] = Path.Combine(home, ".enclavegen");
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
        StringBuilder errors = new();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (errors)
                {
                    errors.AppendLine(e.Data);
                }
            }
        };
        process.BeginErrorReadLine();
        Dictionary<string, string> values = [];
        bool ready = false;
        Task reading = Task.Run(() =>
        {
            while (process.StandardOutput.ReadLine() is { } line)
            {
                if (line == "READY")
                {
                    ready = true;
                    return;
                }

                int equals = line.IndexOf('=');
                if (equals > 0)
                {
                    values[line[..equals]] = line[(equals + 1)..];
                }
            }
        });
        if (!reading.Wait(TimeSpan.FromMinutes(3)) || !ready)
        {
            // It ended (or stalled) before READY: whatever it wrote to standard error says why.
            if (!process.WaitForExit(TimeSpan.FromSeconds(10)))
            {
                process.Kill();
                process.WaitForExit();
            }

            string said = Said(values);
            string why;
            lock (errors)
            {
                why = errors.ToString();
            }

            int exitCode = process.ExitCode;
            process.Dispose();
            Delete(copied);
            Delete(home);
            throw new InvalidOperationException($"The probe did not get ready (exit {exitCode}). It said: {said}; its standard error: {Quoted(why)}");
        }

        return new Probe(process, values, copied, home, errors);
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
        Delete(_copiedFolder);
        Delete(_home);
    }

    private static string Said(Dictionary<string, string> values) => values.Count == 0 ? "nothing" : string.Join(", ", values.Select(pair => $"{pair.Key}={pair.Value}"));

    private static string Quoted(string errors) => errors.Length == 0 ? "(empty)" : errors.TrimEnd();

    private static void Delete(string? folder)
    {
        if (folder is not null && Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    // A home folder of the other user's own (0700, theirs), as a login would give them.
    private static string HomeOwnedBy(int uid)
    {
        string home = Directory.CreateTempSubdirectory($"enclavegen-probe-home-{uid}-").FullName;
        using Process chown = Process.Start(new ProcessStartInfo("chown", [$"{uid}:{uid}", home]) { UseShellExecute = false })!;
        chown.WaitForExit();
        if (chown.ExitCode != 0)
        {
            throw new InvalidOperationException($"chown {uid} '{home}' failed (exit {chown.ExitCode}): the tests that run as another user need root.");
        }

        return home;
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
