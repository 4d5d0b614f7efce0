using System.Text;
using System.Text.Json;
using EnclaveGen.Cli.CommandLine;
using EnclaveGen.Cli.Commands;

namespace EnclaveGen.Cli.Tests.Commands;

/// <summary>What the <c>enclavegen verify</c> tests share: the real samples, a temporary directory, an in-process run.</summary>
public abstract class VerifyCommandTestBase : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("enclavegen-verify-").FullName;

    /// <summary>The temporary directory, deleted after the test.</summary>
    protected string TempDirectory => _dir;

    public void Dispose()
    {
        Directory.Delete(_dir, recursive: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>The path of a file of tests/testdata/attestation as copied into the output.</summary>
    protected static string Sample(string name)
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "testdata", "attestation", name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException($"{name} not found above {AppContext.BaseDirectory}");
    }

    protected string Write(string name, byte[] bytes)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    protected string Write(string name, string text) => Write(name, Encoding.UTF8.GetBytes(text));

    protected static (int Exit, string Out, string Err) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = EnclaveGenCommandLine.Run(["verify", .. args], output, error);
        return (exit, output.ToString(), error.ToString());
    }

    protected static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement;
}
