using EnclaveGen.Tests;

namespace EnclaveGen.Benchmarks.Analyzers;

/// <summary>Finds the analyzer assembly the build produced (the benchmark project builds it as an Analyzer reference).</summary>
internal static class AnalyzerAssembly
{
    public static string Find()
    {
        string bin = Path.Combine(DotnetBuild.RepositoryRoot(), "src", "EnclaveGen.Analyzers", "bin");
        string[] built = Directory.Exists(bin) ? Directory.GetFiles(bin, "EnclaveGen.Analyzers.dll", SearchOption.AllDirectories) : [];
        return built
            .OrderByDescending(p => p.Contains("Release", StringComparison.Ordinal))
            .ThenByDescending(File.GetLastWriteTimeUtc)
            .FirstOrDefault()
            ?? throw new FileNotFoundException("Build src/EnclaveGen.Analyzers first: its EnclaveGen.Analyzers.dll was not found under " + bin);
    }
}
