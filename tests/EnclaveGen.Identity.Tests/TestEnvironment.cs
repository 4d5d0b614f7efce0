using System.Reflection;

namespace EnclaveGen.Identity.Tests;

/// <summary>Paths the process-level tests need, recorded at build time in the test assembly.</summary>
internal static class TestEnvironment
{
    public static string RepoRoot { get; } = Metadata("EnclaveGenRepoRoot");

    /// <summary>The configuration this repository was built in (Release in CI).</summary>
    public static string Configuration { get; } = Metadata("EnclaveGenConfiguration");

    /// <summary>The built CLI that the signing targets run.</summary>
    public static string CliPath { get; } = Metadata("EnclaveGenCliPath");

    public static string BuildDirectory => Path.Combine(RepoRoot, "build");

    /// <summary>The runtime assemblies an enclave library references, as the package would provide them.</summary>
    public static string RuntimeAssembly(string name) => Path.Combine(AppContext.BaseDirectory, name + ".dll");

    private static string Metadata(string key)
        => typeof(TestEnvironment).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value
            ?? throw new InvalidOperationException($"The test assembly records no {key}.");
}
