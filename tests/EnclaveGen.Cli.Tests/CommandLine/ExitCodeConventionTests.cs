using System.CommandLine;
using System.Text.RegularExpressions;
using EnclaveGen.Cli.CommandLine;
using static EnclaveGen.Cli.Tests.CommandLine.CliRun;

namespace EnclaveGen.Cli.Tests.CommandLine;

/// <summary>
/// One convention for every command: 0 success, 1 the answer is "no", 2 bad usage or unreadable
/// input; errors as <c>enclavegen : error EGxxxx: ...</c> on standard error, or with --json (or
/// --format json) as <c>{"error":{"code","message"}}</c> on standard output; "did you mean" for
/// unknown words; boolean options are flags; help without artefacts.
/// </summary>
public sealed partial class ExitCodeConventionTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("enclavegen-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public static TheoryData<string[], string> Misspelled => new()
    {
        { ["mesure", "x.dll"], "unknown command 'mesure' (did you mean 'measure'?)" },
        { ["boundry", "x.dll"], "unknown command 'boundry' (did you mean 'boundary'?)" },
        { ["measure", "x.dll", "--jsn"], "unknown option '--jsn' (did you mean '--json'?)" },
        { ["measure", "x.dll", "--enclav", "A.B"], "unknown option '--enclav' (did you mean '--enclave'?)" },
        { ["inspect", "x.sealed", "--josn"], "unknown option '--josn' (did you mean '--json'?)" },
        { ["sign", "x.dll", "--svm", "1"], "unknown option '--svm' (did you mean '--svn'?)" },
        { ["verify", "q.bin", "--alow-debug"], "unknown option '--alow-debug' (did you mean '--allow-debug'?)" },
        { ["verify", "--allow-emulatd", "q.bin"], "unknown option '--allow-emulatd' (did you mean '--allow-emulated'?)" },
        { ["boundary", "x.dll", "--fromat", "json"], "unknown option '--fromat' (did you mean '--format'?)" },
        { ["boundary", "x.dll", "--format", "mermiad"], "--format 'mermiad' is not a format: use text, json or mermaid (did you mean 'mermaid'?)" },
    };

    [Theory]
    [MemberData(nameof(Misspelled))]
    public void EveryCommandSuggestsTheWordItKnowsAndExitsTwo(string[] args, string expected)
    {
        (int exit, string output, string error) = Run(args);

        Assert.Equal(ExitCode.Unusable, exit);
        Assert.Equal(string.Empty, output);
        Assert.StartsWith($"enclavegen : error {EnclaveGenCommandLine.UsageError}: ", error, StringComparison.Ordinal);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Theory]
    [InlineData("measure", "x.dll", "--json", "--jsn")]
    [InlineData("inspect", "--json", "--bogus", "x.sealed")]
    [InlineData("verify", "--json")]
    [InlineData("boundary", "x.dll", "--format", "json", "--enclave")]
    [InlineData("nosuchcommand", "--json")]
    public void UsageErrorsAreJsonWithJsonAndKeepQuotesReadable(params string[] args)
    {
        (int exit, string output, string error) = Run(args);

        Assert.Equal(ExitCode.Unusable, exit);
        Assert.Equal(string.Empty, error);
        (string code, string message) = JsonError(output);
        Assert.Equal(EnclaveGenCommandLine.UsageError, code);
        Assert.Contains("'", message, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u0027", output, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u002B", output, StringComparison.Ordinal);
    }

    [Fact]
    public void SignOfAReleaseEnclaveWithoutAKeyIsBadUsageAndWithoutDebugTheDefaultIsDebug()
    {
        string missing = Path.Combine(_dir, "Missing.dll");

        (int exit, _, string error) = Run("sign", missing, "--debug", "false");
        Assert.Equal(ExitCode.Unusable, exit);
        Assert.StartsWith("enclavegen : error EG5001: ", error, StringComparison.Ordinal);

        // No --debug and no --key: a DEBUG enclave, so signing goes on to find the library missing.
        foreach (string[] debug in new[] { Array.Empty<string>(), ["--debug"] })
        {
            (exit, _, error) = Run(["sign", missing, .. debug]);
            Assert.Equal(ExitCode.Unusable, exit);
            Assert.StartsWith("enclavegen : error EG5002: ", error, StringComparison.Ordinal);
            Assert.Contains("Build the enclave project first", error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void NoCommandIsBadUsage()
    {
        (int exit, _, string error) = Run();

        Assert.Equal(ExitCode.Unusable, exit);
        Assert.Contains("Required command was not provided", error, StringComparison.Ordinal);
    }

    /// <summary>Input that does not exist or is not what the command reads: exit 2 with the command's own code, as text and as JSON.</summary>
    [Theory]
    [InlineData("measure", "EG5010", true)]
    [InlineData("inspect", "EG5020", true)]
    [InlineData("verify", "EG5030", true)]
    [InlineData("boundary", "EG5050", true)]
    [InlineData("sign", "EG5002", false)]
    public void UnreadableInputExitsTwoWithTheCommandsCode(string command, string code, bool hasJson)
    {
        string missing = Path.Combine(_dir, "missing.bin");
        string garbage = Path.Combine(_dir, "garbage.dll");
        File.WriteAllText(garbage, "neither an assembly nor evidence nor a sealed blob");

        // For verify, a readable file that is not evidence is malformed evidence: the answer "no"
        // (VerifyCommandTests); only the missing file is unusable input there.
        foreach (string input in command == "verify" ? [missing] : new[] { missing, garbage })
        {
            (int exit, string output, string error) = Run(command, input);
            Assert.Equal(ExitCode.Unusable, exit);
            Assert.Equal(string.Empty, output);
            Assert.StartsWith($"enclavegen : error {code}: ", error, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);

            if (hasJson)
            {
                string[] json = command == "boundary" ? ["--format", "json"] : ["--json"];
                (exit, output, error) = Run([command, input, .. json]);
                Assert.Equal(ExitCode.Unusable, exit);
                Assert.Equal(string.Empty, error);
                Assert.Equal(code, JsonError(output).Code);
            }
        }
    }

    /// <summary>The answer "no": a signature file that does not match the library beside it is a mismatch (exit 1), in text and JSON.</summary>
    [Fact]
    public void MeasureOfALibraryItsSignatureDoesNotMatchAnswersNo()
    {
        // The sample's library alone: its references are missing, so it measures differently from
        // what its signature file signed.
        string library = Path.Combine(_dir, "PasswordVault.Enclave.dll");
        File.Copy(Output("PasswordVault.Enclave.dll"), library);
        File.Copy(Output("PasswordVault.Enclave.sigstruct.json"), Path.Combine(_dir, "PasswordVault.Enclave.sigstruct.json"));

        (int exit, string output, string error) = Run("measure", library);
        Assert.Equal(ExitCode.No, exit);
        Assert.Equal(string.Empty, output);
        Assert.Contains("error EG5010: mrenclave ", error, StringComparison.Ordinal);
        Assert.Contains("the signature file does not verify", error, StringComparison.Ordinal);

        (exit, output, _) = Run("measure", library, "--json");
        Assert.Equal(ExitCode.No, exit);
        Assert.Equal("EG5010", JsonError(output).Code);
    }

    [Fact]
    public void EveryBooleanOptionIsAFlag()
    {
        Option[] booleans = [.. EnclaveGenCommandLine.CreateRoot().Subcommands.SelectMany(c => c.Options).Where(o => o.ValueType == typeof(bool))];
        Assert.Contains(booleans, o => o.Name == "--debug");
        Assert.True(booleans.Length >= 7, $"only {booleans.Length} boolean options found");

        foreach (Command command in EnclaveGenCommandLine.CreateRoot().Subcommands)
        {
            foreach (Option option in command.Options.Where(o => o.ValueType == typeof(bool)))
            {
                ParseResult parse = EnclaveGenCommandLine.CreateRoot().Parse([command.Name, "x", option.Name]);
                Assert.True(parse.Errors.Count == 0, $"{command.Name} {option.Name}: {string.Join("; ", parse.Errors.Select(e => e.Message))}");
                Assert.True(parse.GetValue<bool>(option.Name), $"{command.Name} {option.Name} given alone is not true");
            }
        }

        // The build step still passes the value explicitly.
        Assert.Empty(EnclaveGenCommandLine.CreateRoot().Parse(["sign", "x.dll", "--debug", "false"]).Errors);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("measure", "--help")]
    [InlineData("sign", "--help")]
    [InlineData("inspect", "--help")]
    [InlineData("verify", "--help")]
    [InlineData("boundary", "--help")]
    public void HelpHasNoArtefacts(params string[] args)
    {
        (int exit, string output, string error) = Run(args);

        Assert.Equal(ExitCode.Success, exit);
        Assert.Equal(string.Empty, error);
        Assert.Contains("Usage:", output, StringComparison.Ordinal);
        Assert.DoesNotContain("additional arguments", output, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("]]", output, StringComparison.Ordinal);
        Assert.DoesNotContain("(true or false)", output, StringComparison.Ordinal);
        Assert.DoesNotContain("+Format", output, StringComparison.Ordinal);

        // A placeholder that only repeats the option's name (--key <key>) says nothing.
        Match echo = EchoedPlaceholder().Match(output);
        Assert.False(echo.Success, $"placeholder repeats its option: {echo.Value}");
    }

    [GeneratedRegex(@"--([a-z-]+) <\1>")]
    private static partial Regex EchoedPlaceholder();
}
