using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace EnclaveGen.Cli.CommandLine;

/// <summary>
/// Where a command writes: its result on standard output, errors on standard error in MSBuild's
/// canonical format (<c>enclavegen : error EG5010: text</c>, which the build step shows as a build
/// error), or, with <c>--json</c>, errors as <c>{"error":{"code":...,"message":...}}</c> on standard
/// output, so a script reads one JSON document whatever happened.
/// </summary>
internal sealed class CommandOutput(TextWriter output, TextWriter error, bool json)
{
    /// <summary>
    /// Indented, and without escaping ASCII such as <c>'</c>, <c>&lt;</c> or <c>+</c> (<c>\u0027</c> helps
    /// nobody reading a terminal or a file). The output is never embedded in HTML, which is what the
    /// default encoder's escaping protects.
    /// </summary>
    public static readonly JsonWriterOptions JsonOptions = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public TextWriter Output => output;

    public TextWriter Error => error;

    public bool Json => json;

    /// <summary>Reports a failure and returns <paramref name="exitCode"/>.</summary>
    public int Fail(int exitCode, string code, string message)
    {
        if (json)
        {
            WriteJson(w =>
            {
                w.WriteStartObject("error");
                w.WriteString("code", code);
                w.WriteString("message", message);
                w.WriteEndObject();
            });
        }
        else
        {
            error.WriteLine($"enclavegen : error {code}: {message}");
        }

        return exitCode;
    }

    /// <summary>Writes one JSON object to standard output; <paramref name="body"/> writes its members.</summary>
    public void WriteJson(Action<Utf8JsonWriter> body)
    {
        using MemoryStream buffer = new();
        using (Utf8JsonWriter writer = new(buffer, JsonOptions))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        output.WriteLine(Encoding.UTF8.GetString(buffer.ToArray()));
    }
}
