using System.Collections.Concurrent;
using System.Collections.Immutable;
using EnclaveGen.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace EnclaveGen.Analyzers.Apis;

/// <summary>
/// EG1201-EG1204: enclave code calling APIs that an enclave does not have. Enclave code is
/// everything compiled into a library that declares an [Enclave] class (the measured image),
/// or, with the MSBuild property <c>EnclaveCodeScope=enclave-types</c> (a test project that
/// keeps host code next to its enclaves), the [Enclave] classes and their nested types. The list is
/// <see cref="ApiRuleSet.Defaults"/>, extended or relaxed in .editorconfig
/// (<c>enclavegen.unavailable_apis = T:My.Telemetry, M:My.Net.Upload</c>,
/// <c>enclavegen.allowed_apis = T:System.Console</c>) or in an additional file named
/// <c>EnclaveGen.UnavailableApis.txt</c> (one entry a line, <c>; reason</c>, <c>!</c> to allow).
/// P/Invoke (an <c>extern</c> or <c>[DllImport]</c>/<c>[LibraryImport]</c> method) is always reported.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class EnclaveApiAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.ApiNotAvailableInEnclave,
        DiagnosticDescriptors.HostControlledTime,
        DiagnosticDescriptors.NonCryptographicRandom,
        DiagnosticDescriptors.InvalidApiListEntry);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (EnclaveSymbols.TryCreate(start.Compilation) is not { } symbols)
            {
                return;
            }

            var fileRules = ImmutableArray.CreateBuilder<ApiRule>();
            foreach (AdditionalText file in start.Options.AdditionalFiles)
            {
                if (IsApiListFile(file) && file.GetText(start.CancellationToken) is { } text)
                {
                    fileRules.AddRange(ApiRuleSet.Parse(text, ApiRuleKind.Unavailable, "listed in " + ApiRuleSet.AdditionalFileName, out _));
                }
            }

            var perOptions = new ConcurrentDictionary<(string, string), ApiRuleSet>();
            ImmutableArray<ApiRule> fromFile = fileRules.ToImmutable();
            ApiRuleSet RulesFor(SyntaxTree tree)
            {
                var options = start.Options.AnalyzerConfigOptionsProvider.GetOptions(tree);
                string unavailable = options.TryGetValue(ApiRuleSet.UnavailableOptionKey, out string? u) ? u
                    : start.Options.AnalyzerConfigOptionsProvider.GlobalOptions.TryGetValue(ApiRuleSet.UnavailableOptionKey, out string? gu) ? gu : "";
                string allowed = options.TryGetValue(ApiRuleSet.AllowedOptionKey, out string? a) ? a
                    : start.Options.AnalyzerConfigOptionsProvider.GlobalOptions.TryGetValue(ApiRuleSet.AllowedOptionKey, out string? ga) ? ga : "";
                return perOptions.GetOrAdd((unavailable, allowed), key => ApiRuleSet.Build(
                    ApiRuleSet.ParseOption(key.Item2, ApiRuleKind.Allowed)
                        .AddRange(fromFile)
                        .AddRange(ApiRuleSet.ParseOption(key.Item1, ApiRuleKind.Unavailable))));
            }

            var perTree = new ConcurrentDictionary<SyntaxTree, ApiRuleSet>();
            var native = new ConcurrentDictionary<IMethodSymbol, bool>(SymbolEqualityComparer.Default);

            // Everything compiled into an enclave library is enclave code (the image that is
            // measured and loaded); a project that keeps host code next to its enclaves (tests)
            // narrows this to the [Enclave] classes with EnclaveCodeScope=enclave-types.
            bool onlyEnclaveTypes = start.Options.AnalyzerConfigOptionsProvider.GlobalOptions.TryGetValue(CodeScopeProperty, out string? scope)
                && string.Equals(scope.Trim(), "enclave-types", StringComparison.OrdinalIgnoreCase);
            var isEnclaveLibrary = new Lazy<bool>(() => !onlyEnclaveTypes && DeclaresEnclave(start.Compilation.Assembly.GlobalNamespace, symbols), LazyThreadSafetyMode.ExecutionAndPublication);
            bool IsEnclaveCode(ISymbol symbol) => symbols.ContainingEnclave(symbol) is not null || isEnclaveLibrary.Value;

            // Only enclave code is checked, so host code costs nothing. Decided per body, not per
            // type, so that the IDE analysing one file of a partial class binds that file only.
            start.RegisterOperationBlockStartAction(block =>
            {
                if (!IsEnclaveCode(block.OwningSymbol))
                {
                    return;
                }

                block.RegisterOperationAction(
                    c => AnalyzeOperation(c, perTree.GetOrAdd(c.Operation.Syntax.SyntaxTree, RulesFor), native),
                    OperationKind.Invocation,
                    OperationKind.ObjectCreation,
                    OperationKind.PropertyReference,
                    OperationKind.FieldReference,
                    OperationKind.EventReference,
                    OperationKind.MethodReference);
            });
            start.RegisterSymbolAction(c => AnalyzeNativeDeclaration(c, IsEnclaveCode), SymbolKind.Method);
            start.RegisterAdditionalFileAction(AnalyzeListFile);
        });
    }

    private static bool IsApiListFile(AdditionalText file) =>
        string.Equals(Path.GetFileName(file.Path), ApiRuleSet.AdditionalFileName, StringComparison.OrdinalIgnoreCase);

    private static void AnalyzeOperation(OperationAnalysisContext context, ApiRuleSet rules, ConcurrentDictionary<IMethodSymbol, bool> native)
    {
        ISymbol? target = context.Operation switch
        {
            IInvocationOperation invocation => invocation.TargetMethod,
            IObjectCreationOperation creation => creation.Constructor,
            IPropertyReferenceOperation property => property.Property,
            IFieldReferenceOperation field => field.Field,
            IEventReferenceOperation @event => @event.Event,
            IMethodReferenceOperation reference => reference.Method,
            _ => null,
        };

        // Enum members and constants are values, not calls into the platform.
        if (target is null || target is IFieldSymbol { IsConst: true } || target.ContainingType?.TypeKind == TypeKind.Enum)
        {
            return;
        }

        if (target is IMethodSymbol method && native.GetOrAdd(method.OriginalDefinition, IsNative))
        {
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.ApiNotAvailableInEnclave, context.Operation.Syntax.GetLocation(), Display(target), "P/Invoke leaves the enclave for native code the enclave image does not contain"));
            return;
        }

        if (rules.Find(target) is not { } rule)
        {
            return;
        }

        Location location = context.Operation.Syntax.GetLocation();
        string display = Display(target);

        Diagnostic diagnostic = rule.Kind switch
        {
            ApiRuleKind.HostTime => Diagnostic.Create(DiagnosticDescriptors.HostControlledTime, location, display),
            ApiRuleKind.WeakRandom => Diagnostic.Create(DiagnosticDescriptors.NonCryptographicRandom, location, display),
            _ => Diagnostic.Create(DiagnosticDescriptors.ApiNotAvailableInEnclave, location, display, rule.Reason),
        };
        context.ReportDiagnostic(diagnostic);
    }

    /// <summary>The MSBuild property (made visible to the compiler by the package) that narrows what is enclave code.</summary>
    internal const string CodeScopeProperty = "build_property.EnclaveCodeScope";

    private static bool DeclaresEnclave(INamespaceSymbol ns, EnclaveSymbols symbols)
    {
        foreach (INamespaceOrTypeSymbol member in ns.GetMembers())
        {
            if (member is INamespaceSymbol child ? DeclaresEnclave(child, symbols) : symbols.IsEnclaveType((INamedTypeSymbol)member))
            {
                return true;
            }
        }

        return false;
    }

    private static void AnalyzeNativeDeclaration(SymbolAnalysisContext context, Func<ISymbol, bool> isEnclaveCode)
    {
        var method = (IMethodSymbol)context.Symbol;
        if (IsNative(method) && isEnclaveCode(method) && method.Locations.FirstOrDefault(l => l.IsInSource) is { } location)
        {
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.ApiNotAvailableInEnclave, location, Display(method), "P/Invoke leaves the enclave for native code the enclave image does not contain"));
        }
    }

    private static void AnalyzeListFile(AdditionalFileAnalysisContext context)
    {
        if (!IsApiListFile(context.AdditionalFile) || context.AdditionalFile.GetText(context.CancellationToken) is not { } text)
        {
            return;
        }

        ApiRuleSet.Parse(text, ApiRuleKind.Unavailable, "", out var invalid);
        foreach ((TextLine line, string problem) in invalid)
        {
            Location location = Location.Create(context.AdditionalFile.Path, line.Span, text.Lines.GetLinePositionSpan(line.Span));
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.InvalidApiListEntry, location, line.ToString().Trim(), ApiRuleSet.AdditionalFileName, problem));
        }
    }

    private static bool IsNative(IMethodSymbol method)
    {
        if (method.IsExtern)
        {
            return true;
        }

        foreach (AttributeData attribute in method.GetAttributes())
        {
            string? name = attribute.AttributeClass?.ToDisplayString();
            if (name is "System.Runtime.InteropServices.DllImportAttribute" or "System.Runtime.InteropServices.LibraryImportAttribute")
            {
                return true;
            }
        }

        return method.GetDllImportData() is not null;
    }

    private static string Display(ISymbol symbol) => symbol switch
    {
        IMethodSymbol { MethodKind: MethodKind.Constructor } ctor => "new " + ctor.ContainingType.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat),
        IMethodSymbol { AssociatedSymbol: { } associated } => associated.ContainingType.Name + "." + associated.Name,
        _ => (symbol.ContainingType is { } type ? type.Name + "." : "") + symbol.Name,
    };
}
