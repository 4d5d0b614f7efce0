using EnclaveGen.Shared.Validation;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace EnclaveGen.Generators.Tests;

/// <summary>
/// Nothing is dropped in silence: the generator skips a boundary method exactly when the
/// analyzer reports an error on it (or on its enclave class).
/// </summary>
public sealed class SkipIfAndOnlyIfErrorTests
{
    private const string Source = """
        using System;
        using EnclaveGen;

        namespace Mixed;

        internal sealed class Hidden { }
        public class Unsealed { public int X { get; set; } }
        public sealed record Fine(string Name, System.Collections.Generic.List<int> Values);

        [Enclave]
        public partial class Mostly
        {
            [Trusted] public int Good(int x) => x;
            [Trusted] public object Boxed(object o) => o;
            [Trusted] public IntPtr Pointerish() => default;
            [Trusted] public int TakesDelegate(Action a) => 1;
            [Trusted] public static int StaticEcall() => 1;
            [Trusted] public int Generic<T>(int x) => x;
            [Trusted] public Hidden NotPublic() => new Hidden();
            [Trusted] public ref int RefReturn() => ref _field;
            [Trusted] public void ToString(int x) { }
            [Trusted] public string AlsoGood(string s, ref long l, out byte b) { b = 1; return s; }
            [Trusted, Untrusted] public void Both() { }
            [Untrusted] private static partial void GoodOcall(string s);
            [Untrusted] static partial void NoAccessibility(int x);
            [Untrusted] private static void NotPartial(int x) { }
            [Untrusted] private static partial object BoxedOcall();
            [Trusted] public int TakesUnsealed(Unsealed u) => u.X;
            [Trusted] public int TakesRecord(Fine f, [System.Runtime.InteropServices.Out] byte[] filled) => f.Values.Count;
            [Trusted] public void OutOnString([System.Runtime.InteropServices.Out] string s) { }
            [Trusted] public async System.Threading.Tasks.Task<int> AsyncWithRef(ref int x) { await System.Threading.Tasks.Task.Yield(); return 1; }
            [Trusted] public void SpanByRef(ref Span<byte> s) { }
            [Trusted] public void SpanOut(out Span<int> s) { s = default; }
            [Trusted] public void FillImmutable([System.Runtime.InteropServices.Out] System.Collections.Immutable.ImmutableArray<int> a) { }
            [Trusted] public int Immutable(System.Collections.Immutable.ImmutableArray<Fine> a) => a.Length;
            [Trusted] private int PrivateAllowed() => 1;
            [Untrusted(Allow = new[] { nameof(PrivateAllowed) })] private static partial void Allows();
            [Untrusted(Allow = new[] { "Nope" })] private static partial void AllowsNothing();
            private int _field;
        }

        [Enclave]
        public class NotPartial
        {
            [Trusted] public int A() => 1;
        }

        [Enclave]
        public partial class WithConstructor
        {
            public WithConstructor(int seed) { }
            [Trusted] public int A() => 1;
        }

        [Enclave]
        public partial class Reserved
        {
            [Trusted] public int A() => 1;
            public int Proxy => 1;
        }

        [Enclave]
        public partial class Clean
        {
            [Trusted] public int A() => 1;
            [Untrusted] private static partial void B(bool b);
        }

        public class NotAnEnclave
        {
            [Trusted] public int A() => 1;
        }
        """;

    [Fact]
    public void GeneratorSkipsExactlyWhatTheAnalyzerReportsAsAnError()
    {
        Compilation input = GeneratorHarness.Compile(Source);
        Diagnostic[] errors = GeneratorHarness.Analyze(input).Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();
        (Compilation output, _) = GeneratorHarness.Generate(input);

        SyntaxTree tree = input.SyntaxTrees.Single();
        SemanticModel model = input.GetSemanticModel(tree);
        int checkedMethods = 0;
        foreach (ClassDeclarationSyntax declaration in tree.GetRoot().DescendantNodes().OfType<ClassDeclarationSyntax>())
        {
            INamedTypeSymbol type = (INamedTypeSymbol)model.GetDeclaredSymbol(declaration)!;
            MethodDeclarationSyntax[] boundaryMethods = declaration.Members.OfType<MethodDeclarationSyntax>()
                .Where(m => EnclaveInspector.BoundaryKindOf((IMethodSymbol)model.GetDeclaredSymbol(m)!) is not null)
                .ToArray();
            bool classError = errors.Any(e => declaration.Span.Contains(e.Location.SourceSpan)
                && !boundaryMethods.Any(m => m.Span.Contains(e.Location.SourceSpan)));
            INamedTypeSymbol? generatedType = output.GetTypeByMetadataName(type.ToDisplayString());
            bool enclaveGenerated = generatedType?.GetTypeMembers("Proxy").Length == 1;

            if (EnclaveInspector.IsEnclave(type))
            {
                Assert.True(enclaveGenerated == !classError, $"{type.Name}: generated={enclaveGenerated}, class error={classError}");
            }

            foreach (MethodDeclarationSyntax method in boundaryMethods)
            {
                IMethodSymbol symbol = (IMethodSymbol)model.GetDeclaredSymbol(method)!;
                bool methodError = errors.Any(e => method.Span.Contains(e.Location.SourceSpan));
                bool generated = enclaveGenerated && IsGenerated(generatedType!, symbol);
                bool expected = EnclaveInspector.IsEnclave(type) && !classError && !methodError;
                Assert.True(generated == expected, $"{type.Name}.{symbol.Name}: generated={generated}, error on it={methodError || classError}");
                checkedMethods++;
            }
        }

        Assert.Equal(32, checkedMethods);
        Assert.Contains(errors, e => e.Id == "EG1001");
        Assert.Contains(errors, e => e.Id == "EG2001");
    }

    private static bool IsGenerated(INamedTypeSymbol enclave, IMethodSymbol method)
    {
        string interfaceName = EnclaveInspector.BoundaryKindOf(method) == BoundaryKind.Trusted && !method.GetAttributes().Any(a => a.AttributeClass!.Name == "UntrustedAttribute")
            ? "ITrusted"
            : "IUntrusted";
        return enclave.GetTypeMembers(interfaceName).Single().GetMembers(method.Name).Length > 0;
    }
}
