namespace EnclaveGen.Benchmarks.Analyzers;

/// <summary>Finds the analyzer assembly the build produced (the benchmark project builds it as an Analyzer reference).</summary>
internal static class AnalyzerAssembly
{
    public static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string bin = Path.Combine(dir.FullName, "src", "EnclaveGen.Analyzers", "bin");
            if (File.Exists(Path.Combine(dir.FullName, "EnclaveGen.sln")) && Directory.Exists(bin))
            {
                return Directory.GetFiles(bin, "EnclaveGen.Analyzers.dll", SearchOption.AllDirectories)
                    .OrderByDescending(p => p.Contains("Release", StringComparison.Ordinal))
                    .ThenByDescending(File.GetLastWriteTimeUtc)
                    .First();
            }
        }

        throw new FileNotFoundException("Build src/EnclaveGen.Analyzers first: its EnclaveGen.Analyzers.dll was not found above " + AppContext.BaseDirectory);
    }
}
