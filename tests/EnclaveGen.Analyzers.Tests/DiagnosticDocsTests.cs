using System.Reflection;
using EnclaveGen.Shared;
using Microsoft.CodeAnalysis;

namespace EnclaveGen.Analyzers.Tests;

/// <summary>Every diagnostic has its page, its help link points there, the index gives its default severity, and the release file lists it.</summary>
public sealed class DiagnosticDocsTests
{
    private static readonly string s_repository = FindRepository();

    /// <summary>The repository's root folder (where EnclaveGen.sln is).</summary>
    internal static string Repository => s_repository;

    public static TheoryData<string> Ids()
    {
        TheoryData<string> ids = [];
        foreach (DiagnosticDescriptor descriptor in Descriptors())
        {
            ids.Add(descriptor.Id);
        }

        return ids;
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void EveryDiagnosticHasADocsPageAndAReleaseEntry(string id)
    {
        DiagnosticDescriptor descriptor = Descriptors().Single(d => d.Id == id);
        string page = Path.Combine(s_repository, "docs", "diagnostics", id + ".md");

        Assert.True(File.Exists(page), $"docs/diagnostics/{id}.md is missing");
        Assert.StartsWith($"# {id}", File.ReadAllText(page));
        Assert.Equal(DiagnosticDescriptors.HelpLinkBase + id + ".md", descriptor.HelpLinkUri);
        Assert.Contains($"| [{id}]({id}.md) | {descriptor.DefaultSeverity} |", File.ReadAllText(Path.Combine(s_repository, "docs", "diagnostics", "README.md")));
        string releases = File.ReadAllText(Path.Combine(s_repository, "src", "EnclaveGen.Analyzers", "AnalyzerReleases.Unshipped.md"));
        Assert.Contains(id + " |", releases);
    }

    private static IEnumerable<DiagnosticDescriptor> Descriptors() =>
        typeof(DiagnosticDescriptors).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(field => field.FieldType == typeof(DiagnosticDescriptor))
            .Select(field => (DiagnosticDescriptor)field.GetValue(null)!);

    private static string FindRepository()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "EnclaveGen.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("The tests run outside the repository: EnclaveGen.sln was not found above " + AppContext.BaseDirectory);
    }
}
