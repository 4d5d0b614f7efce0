using System.Collections.Immutable;
using EnclaveGen.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace EnclaveGen.Analyzers.Taint;

/// <summary>
/// EG3007 (info): a [Trusted] parameter or an enclave field or property whose name says it is
/// a secret (password, pin, token, private key, ...) but that is not marked [Secret], so the
/// leak analysis does not follow it. The code fix adds [Secret].
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class SecretNamingAnalyzer : DiagnosticAnalyzer
{
    private static readonly ImmutableHashSet<string> s_secretWords = ImmutableHashSet.Create(
        StringComparer.Ordinal, "password", "passwd", "passphrase", "pwd", "secret", "secrets", "pin", "token", "credential", "credentials", "mnemonic");

    private static readonly ImmutableHashSet<string> s_keyQualifiers = ImmutableHashSet.Create(
        StringComparer.Ordinal, "api", "private", "secret", "master", "session", "signing", "sealing");

    private static readonly ImmutableHashSet<string> s_publicWords = ImmutableHashSet.Create(
        StringComparer.Ordinal, "length", "count", "size", "is", "has", "hash", "hint", "policy", "id", "name", "type", "kind", "cancellation");

    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(DiagnosticDescriptors.LooksSecretButUnmarked);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (EnclaveSymbols.TryCreate(start.Compilation) is not { } symbols || symbols.Secret is null)
            {
                return;
            }

            start.RegisterSymbolAction(c => Analyze(c, symbols), SymbolKind.Method, SymbolKind.Field, SymbolKind.Property);
        });
    }

    /// <summary>Why the name looks secret, or null.</summary>
    internal static string? SecretReason(string name, ITypeSymbol type)
    {
        if (type.SpecialType == SpecialType.System_Boolean || type.ToDisplayString() == "System.Threading.CancellationToken")
        {
            return null;
        }

        var words = Words(name);
        if (words.Any(s_publicWords.Contains))
        {
            return null;
        }

        if (words.FirstOrDefault(s_secretWords.Contains) is { } word)
        {
            return "its name contains '" + word + "'";
        }

        for (int i = 0; i + 1 < words.Count; i++)
        {
            if (words[i + 1] == "key" && s_keyQualifiers.Contains(words[i]))
            {
                return "its name contains '" + words[i] + " key'";
            }
        }

        return null;
    }

    private static void Analyze(SymbolAnalysisContext context, EnclaveSymbols symbols)
    {
        switch (context.Symbol)
        {
            case IMethodSymbol method when symbols.IsTrusted(method):
                foreach (IParameterSymbol parameter in method.Parameters)
                {
                    Check(context, symbols, parameter, parameter.Type);
                }

                break;
            case IFieldSymbol { IsImplicitlyDeclared: false, IsConst: false } field when symbols.IsEnclaveType(field.ContainingType):
                Check(context, symbols, field, field.Type);
                break;
            case IPropertySymbol property when symbols.IsEnclaveType(property.ContainingType):
                Check(context, symbols, property, property.Type);
                break;
        }
    }

    private static void Check(SymbolAnalysisContext context, EnclaveSymbols symbols, ISymbol symbol, ITypeSymbol type)
    {
        if (symbols.IsSecret(symbol) || SecretReason(symbol.Name, type) is not { } reason)
        {
            return;
        }

        if (symbol.Locations.FirstOrDefault(l => l.IsInSource) is { } location && !GeneratedCode.IsGenerated(location, context.CancellationToken))
        {
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.LooksSecretButUnmarked, location, symbol.Name, reason));
        }
    }

    private static List<string> Words(string name)
    {
        var words = new List<string>();
        var current = new System.Text.StringBuilder();
        foreach (char c in name)
        {
            if (c == '_' || char.IsDigit(c))
            {
                Flush();
                continue;
            }

            if (char.IsUpper(c) && current.Length > 0 && !char.IsUpper(current[current.Length - 1]))
            {
                Flush();
            }

            current.Append(char.ToLowerInvariant(c));
        }

        Flush();
        return words;

        void Flush()
        {
            if (current.Length > 0)
            {
                words.Add(current.ToString());
                current.Clear();
            }
        }
    }
}
