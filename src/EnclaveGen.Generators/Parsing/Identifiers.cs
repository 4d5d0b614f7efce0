using Microsoft.CodeAnalysis.CSharp;

namespace EnclaveGen.Generators.Parsing;

/// <summary>Spells names as C# source needs them.</summary>
internal static class Identifiers
{
    /// <summary>Keywords get an @.</summary>
    public static string Escape(string name) =>
        SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None || SyntaxFacts.GetContextualKeywordKind(name) == SyntaxKind.AwaitKeyword ? "@" + name : name;
}
