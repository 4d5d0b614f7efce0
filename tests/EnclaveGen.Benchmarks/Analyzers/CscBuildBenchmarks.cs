using BenchmarkDotNet.Attributes;
using EnclaveGen.Tests;

namespace EnclaveGen.Benchmarks.Analyzers;

/// <summary>
/// The build-time goal of docs/performance.md (the analyzers add under 25%): the SDK's own compiler compiling the
/// 1,000-method enclave, with and without <c>/analyzer:EnclaveGen.Analyzers.dll</c>, in the two
/// ways <c>dotnet build</c> runs it. "cold": a new csc process each time
/// (<c>UseSharedCompilation=false</c>, a first build, CI), so the analyzer assembly is loaded and
/// JIT-compiled in every run. "server": through a compiler server that stays up between builds
/// (<c>dotnet build</c>'s default), warmed by the warm-up iterations, as on a developer's machine
/// after the first build. Each category has its own baseline.
/// Run: <c>dotnet run -c Release --project tests/EnclaveGen.Benchmarks -- --filter '*CscBuildBenchmarks*' --inProcess --warmupCount 3 --iterationCount 10</c>
/// </summary>
[MinColumn]
[MedianColumn]
[GroupBenchmarksBy(BenchmarkDotNet.Configs.BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class CscBuildBenchmarks
{
    // One server for this run only; it exits by itself a minute after the last build.
    private static readonly Dictionary<string, string> s_noVariables = [];

    private readonly string _pipe = "enclavegen-bench-" + Environment.ProcessId;

    private string _folder = "";
    private string _csc = "";
    private string _withoutAnalyzers = "";
    private string _withAnalyzers = "";

    [GlobalSetup]
    public void Setup()
    {
        _folder = Path.Combine(Path.GetTempPath(), "enclavegen-csc-bench-" + Environment.ProcessId);
        Directory.CreateDirectory(_folder);
        var sources = new List<string>();
        foreach ((string text, int i) in EnclaveSource.Generate(1_000, 10).Select((t, i) => (t, i)))
        {
            string path = Path.Combine(_folder, $"BigVault{i}.cs");
            File.WriteAllText(path, text);
            sources.Add(path);
        }

        string dotnetRoot = Path.GetDirectoryName(Path.GetDirectoryName(typeof(object).Assembly.Location)!)!;
        dotnetRoot = Path.GetFullPath(Path.Combine(dotnetRoot, "..", ".."));
        _csc = Directory.GetFiles(Path.Combine(dotnetRoot, "sdk"), "csc.dll", SearchOption.AllDirectories)
            .Where(p => p.Contains(Path.Combine("Roslyn", "bincore"), StringComparison.Ordinal))
            .OrderByDescending(p => p, StringComparer.Ordinal)
            .FirstOrDefault() ?? throw new FileNotFoundException("csc.dll not found under " + dotnetRoot);
        string refPack = Directory.GetDirectories(Path.Combine(dotnetRoot, "packs", "Microsoft.NETCore.App.Ref"))
            .OrderByDescending(p => p, StringComparer.Ordinal)
            .Select(p => Path.Combine(p, "ref", "net10.0"))
            .First(Directory.Exists);

        var lines = new List<string> { "/nologo", "/target:library", "/optimize+", "/deterministic", "/langversion:latest", "/out:" + Path.Combine(_folder, "BigVault.dll") };
        lines.AddRange(Directory.GetFiles(refPack, "*.dll").Select(r => "/r:" + r));
        lines.Add("/r:" + typeof(EnclaveAttribute).Assembly.Location);
        lines.AddRange(sources);
        _withoutAnalyzers = Path.Combine(_folder, "without.rsp");
        File.WriteAllLines(_withoutAnalyzers, lines);
        lines.Add("/analyzer:" + AnalyzerAssembly.Find());
        _withAnalyzers = Path.Combine(_folder, "with.rsp");
        File.WriteAllLines(_withAnalyzers, lines);
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_folder, recursive: true);

    [Benchmark(Baseline = true, Description = "csc: 1,000-method enclave")]
    [BenchmarkCategory("cold")]
    public int Csc() => Run(_withoutAnalyzers, shared: false);

    [Benchmark(Description = "csc: same + EnclaveGen analyzers")]
    [BenchmarkCategory("cold")]
    public int CscWithAnalyzers() => Run(_withAnalyzers, shared: false);

    [Benchmark(Baseline = true, Description = "compiler server: 1,000-method enclave")]
    [BenchmarkCategory("server")]
    public int Server() => Run(_withoutAnalyzers, shared: true);

    [Benchmark(Description = "compiler server: same + EnclaveGen analyzers")]
    [BenchmarkCategory("server")]
    public int ServerWithAnalyzers() => Run(_withAnalyzers, shared: true);

    private int Run(string responseFile, bool shared)
    {
        string[] arguments = shared
            ? ["exec", _csc, "-shared:" + _pipe, "/keepalive:60", "@" + responseFile]
            : ["exec", _csc, "@" + responseFile];
        return DotnetProcess.Run(_folder, s_noVariables, arguments).EnsureSuccess("csc").Output.Length;
    }
}
