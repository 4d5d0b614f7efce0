using System.CommandLine;
using System.Text.Json;
using EnclaveGen.Cli.CommandLine;
using EnclaveGen.Cli.Commands.Boundary;

namespace EnclaveGen.Cli.Commands;

/// <summary>
/// <c>enclavegen boundary &lt;enclave.dll&gt; [--enclave &lt;class&gt;] [--format text|json|mermaid]</c>:
/// the boundary manifest (ECALLs, OCALLs, directions, allow lists, [Secret] parameters and results,
/// user_check) read from the library's metadata without running it.
/// </summary>
internal static class BoundaryCommand
{
    /// <summary>The output formats.</summary>
    public enum Format
    {
        Text,
        Json,
        Mermaid,
    }

    public static Command Create()
    {
        Argument<FileInfo> assembly = new("enclave.dll") { Description = "The enclave library (.dll) built with EnclaveGen. It is read, not loaded: none of its code runs." };
        Option<string?> enclave = new("--enclave") { HelpName = "class", Description = "Full name of one enclave class. Default: every enclave class of the library." };
        Option<Format> format = new("--format")
        {
            HelpName = "text|json|mermaid",
            Description = "text (EDL-like), json (the manifest; errors too), or mermaid (a flowchart of host, enclave and every crossing). Default: text.",
            // Not given: the enum's default, text.
            CustomParser = ParseFormat,
        };
        Command command = new("boundary", "Show what crosses an enclave's boundary: ECALLs, OCALLs, directions, allow lists, secrets, user_check.") { assembly, enclave, format };
        command.SetAction(result => Run(
            result.GetRequiredValue(assembly).FullName,
            result.GetValue(enclave),
            result.GetValue(format),
            result.InvocationConfiguration.Output,
            result.InvocationConfiguration.Error));
        return command;
    }

    /// <summary>text, json or mermaid, in any case; anything else is a usage error with a suggestion.</summary>
    private static Format ParseFormat(System.CommandLine.Parsing.ArgumentResult result)
    {
        string value = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
        if (Enum.TryParse(value, ignoreCase: true, out Format format) && Enum.IsDefined(format) && !char.IsDigit(value.FirstOrDefault()))
        {
            return format;
        }

        IReadOnlyList<string> suggestions = Suggestions.For(value.ToLowerInvariant(), ["text", "json", "mermaid"]);
        result.AddError($"--format '{value}' is not a format: use text, json or mermaid{(suggestions.Count > 0 ? $" (did you mean '{suggestions[0]}'?)" : string.Empty)}");
        return Format.Text;
    }

    public static int Run(string assemblyPath, string? enclaveTypeName, Format format, TextWriter output, TextWriter error)
    {
        CommandOutput result = new(output, error, format == Format.Json);
        IReadOnlyList<BoundaryManifest> enclaves;
        try
        {
            enclaves = BoundaryReader.Read(assemblyPath);
        }
        catch (BoundaryReadException e)
        {
            return result.Fail(ExitCode.Unusable, CommandErrors.BoundaryFailed, e.Message);
        }

        if (enclaveTypeName is not null)
        {
            BoundaryManifest? chosen = enclaves.FirstOrDefault(m => m.Enclave == enclaveTypeName);
            if (chosen is null)
            {
                return result.Fail(ExitCode.Unusable, CommandErrors.BoundaryFailed,
                    $"'{assemblyPath}' has no enclave class '{enclaveTypeName}'; it has {string.Join(", ", enclaves.Select(m => m.Enclave))}. Give one of those to --enclave.");
            }

            enclaves = [chosen];
        }

        switch (format)
        {
            case Format.Json:
                result.WriteJson(w =>
                {
                    w.WriteString("assembly", Path.GetFileName(assemblyPath));
                    w.WritePropertyName("enclaves");
                    w.WriteStartArray();
                    foreach (BoundaryManifest manifest in enclaves)
                    {
                        JsonSerializer.Serialize(w, manifest, BoundaryJsonContext.Default.BoundaryManifest);
                    }

                    w.WriteEndArray();
                });
                break;
            case Format.Mermaid:
                output.Write(BoundaryMermaid.Render(enclaves));
                break;
            default:
                for (int i = 0; i < enclaves.Count; i++)
                {
                    if (i > 0)
                    {
                        output.WriteLine();
                    }

                    BoundaryText.Write(output, enclaves[i]);
                }

                break;
        }

        return ExitCode.Success;
    }
}
