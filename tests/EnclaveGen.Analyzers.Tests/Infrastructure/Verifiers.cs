using System.Reflection;
using Basic.Reference.Assemblies;
using EnclaveGen.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace EnclaveGen.Analyzers.Tests.Infrastructure;

/// <summary>
/// The Microsoft.CodeAnalysis.Testing harness set up for enclave code: the .NET 10 reference
/// assemblies from Basic.Reference.Assemblies (offline, no NuGet download) plus the
/// Abstractions, so tests can write <c>[Enclave]</c>, <c>[Trusted]</c> and <c>Secrets.Declassify</c>.
/// </summary>
internal static class EnclaveTestSetup
{
    /// <summary>The implementation parts of the OCALLs the test sources declare, as the generator would write them.</summary>
    public const string OcallImplementations = """

        partial class Vault
        {
            private static partial void Audit(string user, string detail) { }
            private static partial void Send(int value) { }
        }
        """;

    // Every descriptor by ID (static readonly fields, never null).
    private static readonly Dictionary<string, DiagnosticDescriptor> s_descriptors =
        typeof(DiagnosticDescriptors).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(field => field.FieldType == typeof(DiagnosticDescriptor))
            .Select(field => (DiagnosticDescriptor)field.GetValue(null)!)
            .ToDictionary(descriptor => descriptor.Id, StringComparer.Ordinal);

    public static void Configure(SolutionState state)
    {
        state.ReferenceAssemblies = new ReferenceAssemblies("net10.0");
        state.AdditionalReferences.AddRange(Net100.References.All);
        state.AdditionalReferences.Add(MetadataReference.CreateFromFile(typeof(EnclaveAttribute).Assembly.Location));
    }

    /// <summary>An expected diagnostic of <paramref name="id"/> at markup location <paramref name="markup"/>; additional locations are checked only where a test adds them.</summary>
    public static DiagnosticResult Diagnostic(string id, int markup = 0) =>
        new DiagnosticResult(id, Severity(id)).WithLocation(markup).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations);

    /// <summary>The default severity the descriptor declares, so a test expects what a user's build reports.</summary>
    private static DiagnosticSeverity Severity(string id) =>
        s_descriptors.TryGetValue(id, out DiagnosticDescriptor? descriptor)
            ? descriptor.DefaultSeverity
            : throw new ArgumentException($"No EnclaveGen diagnostic has the ID '{id}'; see DiagnosticDescriptors.", nameof(id));
}

/// <summary>Runs one analyzer over sources with <c>{|#0:...|}</c> markup.</summary>
internal sealed class EnclaveAnalyzerTest<TAnalyzer> : CSharpAnalyzerTest<TAnalyzer, DefaultVerifier>
    where TAnalyzer : DiagnosticAnalyzer, new()
{
    public EnclaveAnalyzerTest(string source, params DiagnosticResult[] expected)
    {
        TestCode = source;
        ExpectedDiagnostics.AddRange(expected);
        EnclaveTestSetup.Configure(TestState);
    }

    public static Task VerifyAsync(string source, params DiagnosticResult[] expected) =>
        new EnclaveAnalyzerTest<TAnalyzer>(source, expected).RunAsync();
}

/// <summary>Runs one analyzer and one code fix: the diagnostics before, the fixed code after.</summary>
internal sealed class EnclaveCodeFixTest<TAnalyzer, TCodeFix> : CSharpCodeFixTest<TAnalyzer, TCodeFix, DefaultVerifier>
    where TAnalyzer : DiagnosticAnalyzer, new()
    where TCodeFix : CodeFixProvider, new()
{
    public EnclaveCodeFixTest(string source, string fixedSource, params DiagnosticResult[] expected)
    {
        TestCode = source;
        FixedCode = fixedSource;
        ExpectedDiagnostics.AddRange(expected);
        EnclaveTestSetup.Configure(TestState);
        EnclaveTestSetup.Configure(FixedState);
    }
}
