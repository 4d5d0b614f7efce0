using System.Collections.Immutable;
using EnclaveGen.Analyzers.Taint;
using EnclaveGen.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace EnclaveGen.Analyzers.Tests.Taint;

/// <summary>
/// The shipped models file, entry by entry: it parses, each entry names a type and member that
/// exist in the .NET 10 reference assemblies, EnclaveGen's or the logging abstractions (with the parameter types it
/// lists), and every argument a path names exists on an overload it matches. A user's
/// <c>EnclaveGen.Models.txt</c>: its entries replace the shipped ones and add sinks, and a line
/// it cannot read is EG3008 while readable lines are not.
/// </summary>
public sealed class ModelTests
{
    // What an enclave library references, and the logging abstractions the models cover for enclaves that log.
    private static readonly Lazy<CSharpCompilation> s_references = new(() => AnalyzerHarness.Compile()
        .AddReferences(MetadataReference.CreateFromFile(typeof(Microsoft.Extensions.Logging.ILogger).Assembly.Location)));

    public static TheoryData<int> ShippedEntryLines { get; } = [.. LibraryModels.Shipped.Select(e => e.Line)];

    [Fact]
    public void TheShippedFileParsesWithoutAnInvalidLine()
    {
        ImmutableArray<ModelEntry> entries = ModelParser.Parse(LibraryModels.ShippedText(), LibraryModels.ShippedFileName, out var invalid);
        Assert.Empty(invalid.Select(i => i.Line.ToString() + ": " + i.Problem));
        Assert.True(entries.Length > 300, $"the shipped models cover {entries.Length} members");
    }

    [Theory]
    [MemberData(nameof(ShippedEntryLines))]
    public void EachShippedEntryNamesAMemberThatExistsWithTheArgumentsItUses(int line)
    {
        ModelEntry entry = LibraryModels.Shipped.Single(e => e.Line == line);
        INamedTypeSymbol? type = s_references.Value.GetTypeByMetadataName(entry.TypeName);
        Assert.True(type is not null, $"line {line}: type {entry.TypeName} is not in the .NET 10 reference assemblies, EnclaveGen's or the logging abstractions");

        var candidates = Members(type!, entry.MemberName)
            .Where(m => entry.ParameterTypes is not { } types
                || (types.Length == m.Parameters.Length && types.Select((t, i) => t == "_" || t == LibraryModels.ParameterTypeName(m.Parameters[i].Type)).All(ok => ok)))
            .ToList();
        Assert.True(candidates.Count > 0, $"line {line}: {entry.Display} matches no member of {type}");

        int highestArgument = entry.Effects
            .SelectMany(e => new[] { e.From, e.To }.Concat(e.InvokeArguments.IsDefault ? [] : e.InvokeArguments))
            .Where(p => p is { Root: ModelRoot.Argument })
            .Select(p => p!.Index)
            .DefaultIfEmpty(-1)
            .Max();
        Assert.True(
            candidates.Any(m => m.Parameters.Length > highestArgument),
            $"line {line}: {entry.Display} uses Argument[{highestArgument}], which no matching overload has");

        bool usesReceiver = entry.Effects.Any(e => e.From?.Root == ModelRoot.Receiver || e.To?.Root == ModelRoot.Receiver);
        Assert.False(
            usesReceiver && candidates.All(m => m.IsStatic && m.MethodKind != MethodKind.Constructor),
            $"line {line}: {entry.Display} uses the receiver of a static member");
    }

    [Fact]
    public void ObjectsEntriesDescribeItsOwnMembersWhileOtherEntriesCoverOverrides()
    {
        CSharpCompilation compilation = s_references.Value;
        LibraryModels models = LibraryModels.ShippedOnly;
        IMethodSymbol ToStringOf(INamedTypeSymbol type) => type.GetMembers("ToString").OfType<IMethodSymbol>().Single(m => m.Parameters.IsEmpty);

        Assert.Equal("System.Object", models.Find(ToStringOf(compilation.ObjectType))?.TypeName);

        // A tuple, a KeyValuePair, an exception print what they hold: without an entry of their own
        // they follow the default rule, not object.ToString's "none".
        foreach (string type in new[] { "System.ValueTuple`2", "System.Tuple`2", "System.Collections.Generic.KeyValuePair`2", "System.Nullable`1", "System.Exception" })
        {
            Assert.Null(models.Find(ToStringOf(compilation.GetTypeByMetadataName(type)!)));
        }

        // Entries of other types still cover the members that override them: Exception.Message for ArgumentException's.
        IMethodSymbol argumentMessage = ((IPropertySymbol)compilation.GetTypeByMetadataName("System.ArgumentException")!.GetMembers("Message").Single()).GetMethod!;
        Assert.Equal(("System.Exception", "Message"), (models.Find(argumentMessage)?.TypeName, models.Find(argumentMessage)?.MemberName));
    }

    [Fact]
    public async Task AUserEntryReplacesTheShippedOneForTheSameMember()
    {
        const string source = """
            using System;
            using EnclaveGen;

            [Enclave]
            public partial class Vault
            {
                [Trusted]
                public void Publish([Secret] byte[] key) => Send(Convert.ToHexString(key));

                [Untrusted] private static partial void Send(string text);
            }

            partial class Vault
            {
                private static partial void Send(string text) { }
            }
            """;

        ImmutableArray<Diagnostic> shipped = await AnalyzerHarness.AnalyzeAsync([("Vault.cs", source)]);
        Assert.Contains(shipped, d => d.Id == "EG3001");

        ImmutableArray<Diagnostic> replaced = await AnalyzerHarness.AnalyzeAsync(
            [("Vault.cs", source)],
            Options("""
                # this project's hex encoding is a commitment, not the key
                [System.Convert]
                ToHexString(*)      sanitize secret Argument[0].Content -> ReturnValue
                """));
        Assert.DoesNotContain(replaced, d => d.Id is "EG3001" or "EG3008");
    }

    [Fact]
    public async Task AUserEntryAddsALogSink()
    {
        const string source = """
            using System;
            using EnclaveGen;

            [Enclave]
            public partial class Vault
            {
                [Trusted]
                public void Remember([Secret] string token) => GC.KeepAlive(token);
            }
            """;

        ImmutableArray<Diagnostic> without = await AnalyzerHarness.AnalyzeAsync([("Vault.cs", source)]);
        Assert.DoesNotContain(without, d => d.Id == "EG3005");

        ImmutableArray<Diagnostic> with = await AnalyzerHarness.AnalyzeAsync(
            [("Vault.cs", source)],
            Options("""
                [System.GC]
                KeepAlive(object)   sink log Argument[0]
                """));
        Diagnostic log = Assert.Single(with, d => d.Id == "EG3005");
        Assert.Equal(7, log.Location.GetLineSpan().StartLinePosition.Line);
    }

    [Fact]
    public async Task AnUnreadableUserLineIsEG3008AndReadableLinesAreNot()
    {
        const string source = """
            using EnclaveGen;

            [Enclave]
            public partial class Vault
            {
                [Trusted]
                public int Twice(int value) => value * 2;
            }
            """;

        ImmutableArray<Diagnostic> diagnostics = await AnalyzerHarness.AnalyzeAsync(
            [("Vault.cs", source)],
            Options("""
                Orphan(*)               none
                [Contoso.Vault.Client]
                Upload(byte[])          Argument[0] sends to the vendor
                Download(*)             Argument[0] -> ReturnValue
                Delete(string)          kill Argument[0].Content
                """));

        var invalid = diagnostics.Where(d => d.Id == "EG3008").OrderBy(d => d.Location.GetLineSpan().StartLinePosition.Line).ToList();
        Assert.Equal([0, 2], invalid.Select(d => d.Location.GetLineSpan().StartLinePosition.Line));
        Assert.All(invalid, d => Assert.Equal(LibraryModels.AdditionalFileName, Path.GetFileName(d.Location.GetLineSpan().Path)));
        Assert.Contains("before any [Namespace.Type] section", invalid[0].GetMessage(), StringComparison.Ordinal);

        ImmutableArray<Diagnostic> valid = await AnalyzerHarness.AnalyzeAsync(
            [("Vault.cs", source)],
            Options("""
                [Contoso.Vault.Client]
                Download(*)             Argument[0] -> ReturnValue
                """));
        Assert.DoesNotContain(valid, d => d.Id == "EG3008");
    }

    private static IEnumerable<IMethodSymbol> Members(INamedTypeSymbol type, string name)
    {
        for (INamedTypeSymbol? current = type; current is not null; current = current.BaseType)
        {
            foreach (ISymbol member in current.GetMembers())
            {
                switch (member)
                {
                    case IMethodSymbol method when method.Name == name || method.MetadataName == name:
                        yield return method;
                        break;
                    case IPropertySymbol property when property.Name == name && property.GetMethod is { } getter:
                        yield return getter;
                        break;
                }
            }
        }

        // Interfaces' own members (IEnumerable<T>.GetEnumerator on an interface type).
        foreach (INamedTypeSymbol @interface in type.AllInterfaces)
        {
            foreach (IMethodSymbol method in @interface.GetMembers(name).OfType<IMethodSymbol>())
            {
                yield return method;
            }
        }
    }

    private static AnalyzerOptions Options(string models) =>
        new([new InMemoryText("/project/" + LibraryModels.AdditionalFileName, models)]);

    private sealed class InMemoryText(string path, string text) : AdditionalText
    {
        public override string Path { get; } = path;

        public override SourceText GetText(CancellationToken cancellationToken = default) => SourceText.From(text);
    }
}
