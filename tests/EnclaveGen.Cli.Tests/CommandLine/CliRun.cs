using System.Text.Json;
using EnclaveGen.Cli.CommandLine;

namespace EnclaveGen.Cli.Tests.CommandLine;

/// <summary>Runs <c>enclavegen</c> in-process through the same entry point as the tool.</summary>
internal static class CliRun
{
    public static (int Exit, string Out, string Err) Run(params string[] args)
    {
        StringWriter output = new();
        StringWriter error = new();
        int exit = EnclaveGenCommandLine.Run(args, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    /// <summary>The <c>{"error":{"code","message"}}</c> object of a JSON error, checked for that exact shape.</summary>
    public static (string Code, string Message) JsonError(string output)
    {
        using JsonDocument document = JsonDocument.Parse(output);
        JsonProperty only = Assert.Single(document.RootElement.EnumerateObject());
        Assert.Equal("error", only.Name);
        Assert.Equal(["code", "message"], only.Value.EnumerateObject().Select(p => p.Name));
        return (only.Value.GetProperty("code").GetString()!, only.Value.GetProperty("message").GetString()!);
    }

    /// <summary>An output file of this test project (the referenced enclave libraries are copied here).</summary>
    public static string Output(string name) => Path.Combine(AppContext.BaseDirectory, name);
}
