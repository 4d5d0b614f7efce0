using System.Reflection;
using Microsoft.CodeAnalysis;

namespace EnclaveGen.Generators.Tests;

/// <summary>Generated code compiles without a warning and runs: ECALLs and OCALLs, for real.</summary>
public sealed class CompileAndRunTests
{
    [Fact]
    public void GeneratedCodeCompilesWithoutWarningsUnderNullable()
    {
        (Compilation output, _) = GeneratorHarness.Generate(GeneratorHarness.Compile(TestSources.Representative, TestSources.RepresentativeHost));

        Diagnostic[] problems = output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToArray();
        Assert.True(problems.Length == 0, string.Join(Environment.NewLine, problems.Select(d => d.ToString())));
    }

    [Fact]
    public async Task EcallsAndOcallsRunThroughGeneratedStubs()
    {
        (Compilation output, _) = GeneratorHarness.Generate(GeneratorHarness.Compile(TestSources.Representative, TestSources.RepresentativeHost));

        string result = await RunEntry(output);

        Assert.Equal("False True alice:True,bob:True bob 41 x 3 30 5 k:null:abc 6:11 101", result);
    }

    [Fact]
    public async Task ReleaseEnclaveKeepsExceptionMessagesInside()
    {
        const string Enclave = """
            using EnclaveGen;
            namespace Release;
            [Enclave]
            public partial class Thrower
            {
                [Trusted] public void Fail(string secret) => throw new System.InvalidOperationException("the secret is " + secret);
            }
            public static class Entry
            {
                public static async System.Threading.Tasks.Task<string> RunAsync()
                {
                    await using Thrower.Proxy proxy = await Thrower.CreateEnclaveAsync(new EnclaveGen.EnclaveOptions { Platform = EnclaveGen.EnclavePlatform.CreateInMemory(allowUnsignedImages: true) });
                    try { proxy.Fail("hunter2"); return "no exception"; }
                    catch (TrustedCodeException e) { return $"{e.ExceptionTypeName}|{e.EnclaveMessage ?? "null"}|{e.Message}"; }
                }
            }
            """;

        Dictionary<string, string> release = new() { ["EnclaveDebug"] = "false" };
        (Compilation output, _) = GeneratorHarness.Generate(GeneratorHarness.Compile(Enclave), release);
        string result = await RunEntry(output);

        Assert.StartsWith("System.InvalidOperationException|null|", result);
        Assert.DoesNotContain("hunter2", result);

        (Compilation debugOutput, _) = GeneratorHarness.Generate(GeneratorHarness.Compile(Enclave));
        Assert.Contains("the secret is hunter2", await RunEntry(debugOutput));
    }

    [Fact]
    public async Task MaxThreadsSettingReachesTheRuntime()
    {
        const string Enclave = """
            using EnclaveGen;
            namespace Threads;
            [Enclave]
            public partial class Counter
            {
                [Trusted] public int One() => 1;
            }
            public static class Entry
            {
                public static System.Threading.Tasks.Task<string> RunAsync()
                {
                    var attribute = (EnclaveGen.Runtime.Generated.EnclaveDefinitionAttribute)System.Attribute.GetCustomAttribute(
                        typeof(Counter).Assembly, typeof(EnclaveGen.Runtime.Generated.EnclaveDefinitionAttribute))!;
                    return System.Threading.Tasks.Task.FromResult($"{attribute.EnclaveTypeName} {attribute.MaxThreads} {attribute.HeapLimitBytes}");
                }
            }
            """;

        Dictionary<string, string> settings = new() { ["EnclaveMaxThreads"] = "3", ["EnclaveHeapLimit"] = "1048576" };
        (Compilation output, _) = GeneratorHarness.Generate(GeneratorHarness.Compile(Enclave), settings);

        Assert.Equal("Threads.Counter 3 1048576", await RunEntry(output));
    }

    private static async Task<string> RunEntry(Compilation compilation)
    {
        Assembly assembly = GeneratorHarness.Load(compilation);
        MethodInfo run = assembly.GetTypes().Single(t => t.Name == "Entry").GetMethod("RunAsync")!;
        return await (Task<string>)run.Invoke(null, null)!;
    }
}
