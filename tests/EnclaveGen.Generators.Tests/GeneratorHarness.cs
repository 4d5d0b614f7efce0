extern alias analyzers;

using System.Collections.Immutable;
using System.Reflection;
using System.Runtime.Loader;
using Basic.Reference.Assemblies;
using EnclaveGen.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace EnclaveGen.Generators.Tests;

/// <summary>
/// The one helper every generator test uses: builds a compilation against the .NET 10 reference
/// assemblies (offline, deterministic) and EnclaveGen, runs the generator and the analyzers, and
/// can load the result to run it.
/// </summary>
internal static class GeneratorHarness
{
    private static readonly ImmutableArray<MetadataReference> s_references = Net100.References.All
        .CastArray<MetadataReference>()
        .Add(MetadataReference.CreateFromFile(typeof(EnclaveAttribute).Assembly.Location))
        .Add(MetadataReference.CreateFromFile(typeof(Runtime.Generated.EnclaveConnection).Assembly.Location));

    public static CSharpParseOptions ParseOptions { get; } = new(LanguageVersion.Latest);

    public static CSharpCompilation Compile(params string[] sources) => CSharpCompilation.Create(
        "TestEnclave",
        sources.Select((source, i) => CSharpSyntaxTree.ParseText(source, ParseOptions, path: $"Source{i}.cs")),
        s_references,
        new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    public static GeneratorDriver CreateDriver(IReadOnlyDictionary<string, string>? buildProperties = null, bool trackSteps = false) =>
        CSharpGeneratorDriver.Create(
            [new EnclaveGenerator().AsSourceGenerator()],
            parseOptions: ParseOptions,
            optionsProvider: new BuildPropertiesProvider(buildProperties ?? new Dictionary<string, string>()),
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: trackSteps));

    /// <summary>Runs the generator; returns the compilation with the generated sources added.</summary>
    public static (Compilation Output, GeneratorDriverRunResult Run) Generate(Compilation input, IReadOnlyDictionary<string, string>? buildProperties = null)
    {
        GeneratorDriver driver = CreateDriver(buildProperties).RunGeneratorsAndUpdateCompilation(input, out Compilation output, out ImmutableArray<Diagnostic> diagnostics);
        Assert.Empty(diagnostics);
        return (output, driver.GetRunResult());
    }

    public static ImmutableArray<Diagnostic> Analyze(Compilation compilation, IReadOnlyDictionary<string, string>? buildProperties = null)
    {
        AnalyzerOptions options = new([], new BuildPropertiesProvider(buildProperties ?? new Dictionary<string, string>()));
        return compilation
            .WithAnalyzers([new analyzers::EnclaveGen.Analyzers.EnclaveDeclarationAnalyzer()], options)
            .GetAnalyzerDiagnosticsAsync()
            .GetAwaiter()
            .GetResult();
    }

    /// <summary>
    /// Emits the compilation to a file in a fresh temporary folder (the loader re-measures an
    /// enclave's image file) and loads it into its own collectible context. The image is unsigned,
    /// so the test enclaves run on a platform that allows unsigned images.
    /// </summary>
    public static Assembly Load(Compilation compilation)
    {
        string folder = Directory.CreateTempSubdirectory("enclavegen-generated-").FullName;
        string path = Path.Combine(folder, compilation.AssemblyName + ".dll");
        using (FileStream image = File.Create(path))
        {
            Microsoft.CodeAnalysis.Emit.EmitResult result = compilation.Emit(image);
            Assert.True(result.Success, string.Join(Environment.NewLine, result.Diagnostics));
        }

        return new AssemblyLoadContext("TestEnclave", isCollectible: true).LoadFromAssemblyPath(path);
    }


    /// <summary>Serves build_property.* values as MSBuild's CompilerVisibleProperty would.</summary>
    private sealed class BuildPropertiesProvider(IReadOnlyDictionary<string, string> properties) : AnalyzerConfigOptionsProvider
    {
        private readonly Options _global = new(properties.ToDictionary(pair => "build_property." + pair.Key, pair => pair.Value));

        public override AnalyzerConfigOptions GlobalOptions => _global;

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => Options.Empty;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => Options.Empty;

        private sealed class Options(Dictionary<string, string> values) : AnalyzerConfigOptions
        {
            public static Options Empty { get; } = new([]);

            public override bool TryGetValue(string key, out string value) => values.TryGetValue(key, out value!);
        }
    }
}
