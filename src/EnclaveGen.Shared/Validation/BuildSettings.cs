using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace EnclaveGen.Shared.Validation;

/// <summary>
/// The enclave's MSBuild settings (EnclaveMaxThreads, EnclaveHeapLimit, EnclaveDebug) as the
/// compiler sees them through CompilerVisibleProperty. Unset means the default; a value that does
/// not parse is a problem (EG1013) and the generator emits nothing.
/// </summary>
internal sealed record BuildSettings(int MaxThreads, long HeapLimitBytes, bool Debug)
{
    public const int DefaultMaxThreads = 8;
    public const int MaxMaxThreads = 1024;

    public static BuildSettings Default { get; } = new(DefaultMaxThreads, 0, Debug: true);

    public static BuildSettings? Read(AnalyzerConfigOptions options, List<ValidationProblem>? problems)
    {
        bool valid = true;
        int maxThreads = DefaultMaxThreads;
        long heapLimit = 0;
        bool debug = true;

        if (Get(options, "EnclaveMaxThreads") is { } threadsText)
        {
            if (!int.TryParse(threadsText, NumberStyles.Integer, CultureInfo.InvariantCulture, out maxThreads) || maxThreads < 1 || maxThreads > MaxMaxThreads)
            {
                valid = Report(problems, "EnclaveMaxThreads", threadsText, $"it must be a whole number from 1 to {MaxMaxThreads}");
            }
        }

        if (Get(options, "EnclaveHeapLimit") is { } heapText)
        {
            if (!long.TryParse(heapText, NumberStyles.Integer, CultureInfo.InvariantCulture, out heapLimit) || heapLimit < 0)
            {
                valid = Report(problems, "EnclaveHeapLimit", heapText, "it must be a number of bytes, 0 for no limit");
            }
        }

        if (Get(options, "EnclaveDebug") is { } debugText)
        {
            if (!bool.TryParse(debugText, out debug))
            {
                valid = Report(problems, "EnclaveDebug", debugText, "it must be true or false");
            }
        }

        return valid ? new BuildSettings(maxThreads, heapLimit, debug) : null;
    }

    private static string? Get(AnalyzerConfigOptions options, string property) =>
        options.TryGetValue("build_property." + property, out string? value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    private static bool Report(List<ValidationProblem>? problems, string property, string value, string expected)
    {
        problems?.Add(new ValidationProblem(DiagnosticDescriptors.InvalidBuildSetting, Location.None, property, value, expected));
        return false;
    }
}
