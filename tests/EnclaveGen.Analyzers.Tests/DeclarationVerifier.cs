using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace EnclaveGen.Analyzers.Tests;

/// <summary>Runs one analyzer over enclave source with the .NET 10 references, offline.</summary>
internal static class DeclarationVerifier
{
    public const string Usings = "using System;\nusing System.Collections.Generic;\nusing System.Runtime.InteropServices;\nusing System.Threading;\nusing System.Threading.Tasks;\nusing EnclaveGen;\n\n";

    public static Task VerifyAsync<TAnalyzer>(string source, params DiagnosticResult[] expected)
        where TAnalyzer : DiagnosticAnalyzer, new()
    {
        CSharpAnalyzerTest<TAnalyzer, DefaultVerifier> test = new()
        {
            TestCode = Usings + source,
            ReferenceAssemblies = new ReferenceAssemblies("net10.0"),
            // The generator would supply the [Untrusted] bodies; here only the analyzer runs.
            CompilerDiagnostics = CompilerDiagnostics.None,
        };
        test.TestState.AdditionalReferences.AddRange(Net100.References.All);
        test.TestState.AdditionalReferences.Add(typeof(EnclaveAttribute).Assembly);
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync();
    }
}
