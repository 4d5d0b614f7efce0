using System.CommandLine;
using System.CommandLine.Parsing;
using EnclaveGen.Cli.Commands;

namespace EnclaveGen.Cli.CommandLine;

/// <summary>
/// The <c>enclavegen</c> command line: every command, and one way of handling a command line that
/// cannot be used (exit code 2, code EG5040, a "did you mean" for each unknown word, JSON with
/// <c>--json</c> or <c>--format json</c>). System.CommandLine's own parse-error action prints typo
/// corrections and the whole help as text and exits 1; it cannot write JSON, so errors go through here.
/// </summary>
internal static class EnclaveGenCommandLine
{
    /// <summary>The command line could not be used (docs/diagnostics/EG5040.md).</summary>
    public const string UsageError = "EG5040";

    public static RootCommand CreateRoot()
    {
        RootCommand root = new("enclavegen: measure, sign and verify EnclaveGen enclaves and TEE evidence, and show an enclave's boundary.");
        root.Subcommands.Add(MeasureCommand.Create());
        root.Subcommands.Add(SignCommand.Create());
        root.Subcommands.Add(InspectCommand.Create());
        root.Subcommands.Add(VerifyCommand.Create());
        root.Subcommands.Add(BoundaryCommand.Create());
        foreach (Command command in root.Subcommands)
        {
            foreach (Argument argument in command.Arguments)
            {
                RefuseOptionsAsValues(command, argument);
            }
        }

        return root;
    }

    /// <summary>
    /// A misspelled option in an argument's place would otherwise be taken as the argument (a file
    /// named "--alow-debug"), and the real argument reported as unexpected. A file whose name starts
    /// with a dash is still reachable as ./-name; "-" alone (standard input) is a value.
    /// </summary>
    private static void RefuseOptionsAsValues(Command command, Argument argument) =>
        argument.Validators.Add(result =>
        {
            foreach (Token token in result.Tokens.Where(t => t.Value.Length > 1 && t.Value[0] == '-'))
            {
                result.AddError(UnknownOption(token.Value, command));
            }
        });

    private static string UnknownOption(string token, Command command) =>
        WithSuggestions($"unknown option '{token}'", Suggestions.For(token, Candidates(command, options: true)));

    private static string WithSuggestions(string problem, IReadOnlyList<string> suggestions) =>
        suggestions.Count == 0 ? problem : $"{problem} (did you mean {string.Join(" or ", suggestions.Select(s => $"'{s}'"))}?)";

    /// <summary>Parses and runs <paramref name="args"/>, writing to the given writers.</summary>
    /// <returns>The exit code (<see cref="ExitCode"/>).</returns>
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        ParseResult parse = CreateRoot().Parse(args);

        // --help and --version answer even on a line with errors, as System.CommandLine intends.
        if (parse.Errors.Count > 0 && parse.Action is not { ClearsParseErrors: true })
        {
            return new CommandOutput(output, error, WantsJson(args)).Fail(ExitCode.Unusable, UsageError, Describe(parse));
        }

        return parse.Invoke(new InvocationConfiguration { Output = output, Error = error });
    }

    /// <summary>What is wrong with the command line, with a suggestion for each word it does not know.</summary>
    internal static string Describe(ParseResult parse)
    {
        Command command = parse.CommandResult.Command;
        string path = CommandPath(parse.CommandResult);
        List<string> problems = [];
        string? unknownCommand = command.Subcommands.Count > 0 ? parse.UnmatchedTokens.FirstOrDefault(t => t.Length == 0 || t[0] != '-') : null;
        if (unknownCommand is not null)
        {
            // The words after an unknown command are its arguments: only the command is wrong.
            problems.Add(WithSuggestions($"unknown command '{unknownCommand}'", Suggestions.For(unknownCommand, Candidates(command, options: false))));
        }
        else
        {
            foreach (string token in parse.UnmatchedTokens)
            {
                problems.Add(token.Length > 1 && token[0] == '-' ? UnknownOption(token, command) : $"unexpected argument '{token}'");
            }

            foreach (ParseError problem in parse.Errors)
            {
                // An unmatched token's own error is said above, with its suggestion.
                if (!parse.UnmatchedTokens.Any(token => problem.Message.Contains($"'{token}'", StringComparison.Ordinal)))
                {
                    problems.Add(problem.Message.ReplaceLineEndings(" ").TrimEnd('.'));
                }
            }
        }

        return $"{string.Join("; ", problems.Distinct(StringComparer.Ordinal))}. '{path} --help' lists its {(command.Subcommands.Count > 0 ? "commands and options" : "arguments and options")}.";
    }

    private static IEnumerable<string> Candidates(Command command, bool options) =>
        options
            ? command.Options.Where(o => !o.Hidden).SelectMany(o => o.Aliases.Prepend(o.Name))
            : command.Subcommands.Where(c => !c.Hidden).SelectMany(c => c.Aliases.Prepend(c.Name));

    private static string CommandPath(CommandResult result)
    {
        List<string> names = [];
        for (SymbolResult? at = result; at is not null; at = at.Parent)
        {
            if (at is CommandResult { Command: var command })
            {
                names.Add(command is RootCommand ? "enclavegen" : command.Name);
            }
        }

        names.Reverse();
        return string.Join(' ', names);
    }

    /// <summary>Whether the caller asked for JSON: <c>--json</c>, or <c>--format json</c> (<c>boundary</c>).</summary>
    private static bool WantsJson(string[] args)
    {
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--json" || args[i] is "--format=json" or "--format:json" || (args[i] == "--format" && i + 1 < args.Length && args[i + 1] == "json"))
            {
                return true;
            }
        }

        return false;
    }
}
