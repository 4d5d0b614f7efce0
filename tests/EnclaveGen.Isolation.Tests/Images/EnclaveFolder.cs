using System.Collections.Immutable;
using System.Reflection;
using System.Runtime.Loader;
using EnclaveGen.Runtime.Identity;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace EnclaveGen.Isolation.Tests.Images;

/// <summary>
/// An app's output folder, built at test time: libraries compiled with Roslyn (the enclave library
/// through the real EnclaveGen generator), the EnclaveGen assemblies copied beside them as a build
/// would, and the enclave signed by the build step's own code. Tests then change files in it as an
/// attacker with write access to the folder would.
/// </summary>
internal sealed class EnclaveFolder : IDisposable
{
    private static readonly Lazy<ImmutableArray<ISourceGenerator>> s_generator = new(LoadGenerator);
    private static readonly ImmutableArray<MetadataReference> s_framework = [.. FrameworkReferences()];

    // Compilation is deterministic: the same sources, references and settings give the same image,
    // so each is compiled once per test run and written into as many folders as the tests need.
    private static readonly Dictionary<string, byte[]> s_compiled = new(StringComparer.Ordinal);

    private readonly Dictionary<string, (MetadataReference Reference, string Key)> _built = new(StringComparer.Ordinal);

    public EnclaveFolder(string name)
    {
        Root = Directory.CreateTempSubdirectory($"enclavegen-{name}-").FullName;

        // What an app's build output holds beside an enclave library: the EnclaveGen runtime and
        // what it references (the measurement covers them).
        foreach (string assembly in (string[])["EnclaveGen.Runtime", "EnclaveGen.Abstractions", "EnclaveGen.Attestation", "BouncyCastle.Cryptography"])
        {
            string source = Path.Combine(AppContext.BaseDirectory, assembly + ".dll");
            if (File.Exists(source))
            {
                File.Copy(source, Path.Combine(Root, assembly + ".dll"));
            }
        }
    }

    public string Root { get; }

    public string PathOf(string assemblyName) => Path.Combine(Root, assemblyName + ".dll");

    /// <summary>Compiles a plain library and returns its image (written into the folder unless <paramref name="write"/> is false).</summary>
    public byte[] Library(string assemblyName, string source, bool write = true, params string[] references)
    {
        string key = Key(assemblyName, source, references, null);
        byte[] image = Compiled(key, () => Emit(Compilation(assemblyName, [source], references)));
        _built[assemblyName] = (MetadataReference.CreateFromImage(image), key);
        if (write)
        {
            File.WriteAllBytes(PathOf(assemblyName), image);
        }

        return image;
    }

    /// <summary>
    /// Copies an assembly the test process itself uses (from its output folder) into the folder, as
    /// an app's build would, and makes it a reference for the libraries compiled next.
    /// </summary>
    public void Existing(string assemblyName)
    {
        string source = Path.Combine(AppContext.BaseDirectory, assemblyName + ".dll");
        File.Copy(source, PathOf(assemblyName));
        _built[assemblyName] = (MetadataReference.CreateFromFile(source), $"{assemblyName}@{Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(source)))}");
    }

    /// <summary>Compiles an enclave library with the EnclaveGen generator (build properties as MSBuild would pass them) into the folder.</summary>
    public void Enclave(string assemblyName, string source, IReadOnlyDictionary<string, string>? buildProperties = null, params string[] references)
    {
        IReadOnlyDictionary<string, string> properties = buildProperties ?? new Dictionary<string, string>();
        File.WriteAllBytes(PathOf(assemblyName), Compiled(Key(assemblyName, source, references, properties), () =>
        {
            CSharpCompilation input = Compilation(assemblyName, [source], references);
            GeneratorDriver driver = CSharpGeneratorDriver.Create(
                s_generator.Value,
                parseOptions: (CSharpParseOptions)input.SyntaxTrees[0].Options,
                optionsProvider: new BuildProperties(properties));
            driver.RunGeneratorsAndUpdateCompilation(input, out Compilation output, out ImmutableArray<Diagnostic> problems);
            Assert.Empty(problems);
            return Emit(output);
        }));
    }

    /// <summary>Signs the enclave library as the build step does, with a new key, from the folder as it is now.</summary>
    public void Sign(string assemblyName, bool isDebug = true)
    {
        using EnclaveSigningKey key = EnclaveSigningKey.CreateEcdsaP256();
        Assert.NotNull(EnclaveImageSigner.Sign(PathOf(assemblyName), key, productId: 1, securityVersion: 1, isDebug));
    }

    /// <summary>
    /// Loads the enclave library as its app would (a load context over this folder that shares the
    /// EnclaveGen assemblies with the test) and returns its <c>Harness</c> type.
    /// </summary>
    public Type Harness(string assemblyName, string harnessType)
    {
        AppLoadContext app = new(Root);
        return app.LoadFromAssemblyPath(PathOf(assemblyName)).GetType(harnessType, throwOnError: true)!;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // An isolated child may still hold a file open for a moment; the temp folder is cleaned later.
        }
    }

    private CSharpCompilation Compilation(string assemblyName, string[] sources, string[] references) => CSharpCompilation.Create(
        assemblyName,
        sources.Select((text, i) => CSharpSyntaxTree.ParseText(text, new CSharpParseOptions(LanguageVersion.Latest), path: $"{assemblyName}{i}.cs")),
        [
            .. s_framework,
            MetadataReference.CreateFromFile(typeof(EnclaveAttribute).Assembly.Location),
            MetadataReference.CreateFromFile(typeof(EnclaveSignatureFile).Assembly.Location),
            .. references.Select(r => _built[r].Reference),
        ],
        new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, deterministic: true));

    private static byte[] Compiled(string key, Func<byte[]> compile)
    {
        lock (s_compiled)
        {
            if (!s_compiled.TryGetValue(key, out byte[]? image))
            {
                image = compile();
                s_compiled[key] = image;
            }

            return image;
        }
    }

    private string Key(string assemblyName, string source, string[] references, IReadOnlyDictionary<string, string>? properties) =>
        string.Join(
            "\u0001",
            [
                assemblyName,
                source,
                .. references.Select(r => _built[r].Key),
                .. (properties ?? new Dictionary<string, string>()).OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"),
            ]);

    private static byte[] Emit(Compilation compilation)
    {
        using MemoryStream image = new();
        Microsoft.CodeAnalysis.Emit.EmitResult result = compilation.Emit(image);
        Assert.True(result.Success, string.Join(Environment.NewLine, result.Diagnostics));
        return image.ToArray();
    }

    // The shared framework's own assemblies: enough to compile small libraries against.
    private static IEnumerable<MetadataReference> FrameworkReferences()
    {
        string folder = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        return Directory.EnumerateFiles(folder, "*.dll")
            .Where(path => FrameworkAssemblies.Contains(Path.GetFileNameWithoutExtension(path)))
            .Select(path => MetadataReference.CreateFromFile(path));
    }

    private static ImmutableArray<ISourceGenerator> LoadGenerator()
    {
        string path = typeof(EnclaveFolder).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "EnclaveGenGeneratorPath").Value!;
        AnalyzerFileReference reference = new(path, new GeneratorLoader());
        List<string> failures = [];
        reference.AnalyzerLoadFailed += (_, failed) => failures.Add($"{failed.ErrorCode}: {failed.Message}");

        // Without the generator every enclave compiles to a class without its proxy, and each test
        // fails with a compile error that names no cause: say why here instead (a generator built
        // against a newer Roslyn than this project references, for example).
        ImmutableArray<ISourceGenerator> generators = reference.GetGenerators(LanguageNames.CSharp);
        Assert.True(generators.Length > 0, $"The EnclaveGen generator did not load from '{path}': {string.Join("; ", failures)}");
        return generators;
    }

    /// <summary>Serves build_property.* values as MSBuild's CompilerVisibleProperty would.</summary>
    private sealed class BuildProperties(IReadOnlyDictionary<string, string> properties) : AnalyzerConfigOptionsProvider
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

    private sealed class GeneratorLoader : IAnalyzerAssemblyLoader
    {
        public void AddDependencyLocation(string fullPath)
        {
        }

        public Assembly LoadFromPath(string fullPath) => Assembly.LoadFrom(fullPath);
    }

    /// <summary>The app: loads from the folder, except EnclaveGen's own assemblies, which the test process shares.</summary>
    private sealed class AppLoadContext(string folder) : AssemblyLoadContext("EnclaveGen test app")
    {
        protected override Assembly? Load(AssemblyName assemblyName)
        {
            if (assemblyName.Name is not { } name || name.StartsWith("EnclaveGen.", StringComparison.Ordinal) || name == "BouncyCastle.Cryptography")
            {
                return null;
            }

            string path = Path.Combine(folder, name + ".dll");
            return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
        }
    }
}
