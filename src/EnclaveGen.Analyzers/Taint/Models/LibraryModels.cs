using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace EnclaveGen.Analyzers.Taint;

/// <summary>
/// The behaviour of library members as data: the models file shipped inside the analyzer
/// assembly (<c>Models/Library.models</c>, an embedded resource), plus a user's additional file
/// named <see cref="AdditionalFileName"/>, whose entries replace shipped ones for the same member.
/// A member without an entry follows the default rule of <see cref="Evaluator"/> for other assemblies.
/// </summary>
internal sealed class LibraryModels
{
    public const string AdditionalFileName = "EnclaveGen.Models.txt";
    public const string ShippedFileName = "Library.models";

    private static readonly Lazy<ImmutableArray<ModelEntry>> s_shipped = new(LoadShipped, LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly Lazy<LibraryModels> s_shippedOnly = new(() => new LibraryModels([]), LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly Dictionary<(string Type, string Member), List<ModelEntry>> _byMember = new();

    public LibraryModels(IEnumerable<ModelEntry> user)
    {
        foreach (ModelEntry entry in Shipped)
        {
            Add(entry);
        }

        // A user's entry for a member replaces the shipped ones with the same name and parameters.
        foreach (IGrouping<(string, string), ModelEntry> group in user.GroupBy(e => (e.TypeName, e.MemberName)))
        {
            if (_byMember.TryGetValue(group.Key, out List<ModelEntry>? shipped))
            {
                shipped.RemoveAll(s => group.Any(u => SameParameters(s.ParameterTypes, u.ParameterTypes)));
            }

            foreach (ModelEntry entry in group)
            {
                Add(entry);
            }
        }
    }

    /// <summary>The names of members whose model makes host-controlled data (the integrity rules' sources besides OCALLs).</summary>
    public IEnumerable<string> HostSourceNames =>
        _byMember.Values.SelectMany(list => list).Where(e => e.Effects.Any(f => f.Kind == EffectKind.Source && f.Label == Label.HostControlled)).Select(e => e.MemberName).Distinct();

    /// <summary>The names of members whose model makes secret data (the leak rules' sources besides <c>[Secret]</c>), for the relevance pre-filter.</summary>
    public IEnumerable<string> SecretSourceNames =>
        _byMember.Values.SelectMany(list => list).Where(e => e.Effects.Any(f => f.Kind == EffectKind.Source && f.Label == Label.Secret)).Select(e => e.MemberName).Distinct();

    /// <summary>The shipped models alone (most compilations have no additional models file): one instance, its lookups cached across compilations.</summary>
    public static LibraryModels ShippedOnly => s_shippedOnly.Value;

    /// <summary>The entries of the shipped models file.</summary>
    public static ImmutableArray<ModelEntry> Shipped => s_shipped.Value;

    /// <summary>The shipped file's text (for its tests).</summary>
    public static SourceText ShippedText()
    {
        using Stream stream = typeof(LibraryModels).Assembly.GetManifestResourceStream(typeof(LibraryModels).Namespace + "." + ShippedFileName)
            ?? throw new InvalidOperationException("The analyzer assembly lacks its embedded " + ShippedFileName + ".");
        return SourceText.From(stream);
    }

    /// <summary>
    /// The entry for <paramref name="method"/>: its own, or that of the member it overrides or
    /// implements; null when none. Not cached here (an instance outlives compilations; caching
    /// symbols would keep them alive): <see cref="TaintContext.FindModel"/> caches per compilation.
    /// </summary>
    public ModelEntry? Find(IMethodSymbol method) => Lookup(method.OriginalDefinition);

    /// <summary>The metadata name of a type as the models file spells it: <c>System.Collections.Generic.Dictionary`2+Enumerator</c>.</summary>
    public static string TypeName(INamedTypeSymbol type)
    {
        type = type.OriginalDefinition;
        if (type.ContainingType is { } outer)
        {
            return TypeName(outer) + "+" + type.MetadataName;
        }

        string ns = type.ContainingNamespace is { IsGlobalNamespace: false } n ? n.ToDisplayString() + "." : "";
        return ns + type.MetadataName;
    }

    /// <summary>A parameter type as the models file spells it: C# keywords and simple names, <c>ReadOnlySpan&lt;byte&gt;</c>, <c>T[]</c>.</summary>
    public static string ParameterTypeName(ITypeSymbol type) =>
        type.ToDisplayString(s_parameterFormat).Replace(" ", "");

    private static readonly SymbolDisplayFormat s_parameterFormat = new(
        typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameOnly,
        genericsOptions: SymbolDisplayGenericsOptions.IncludeTypeParameters,
        miscellaneousOptions: SymbolDisplayMiscellaneousOptions.UseSpecialTypes);

    private void Add(ModelEntry entry)
    {
        if (!_byMember.TryGetValue((entry.TypeName, entry.MemberName), out List<ModelEntry>? list))
        {
            _byMember[(entry.TypeName, entry.MemberName)] = list = new List<ModelEntry>();
        }

        list.Add(entry);
    }

    private ModelEntry? Lookup(IMethodSymbol method)
    {
        for (IMethodSymbol? current = method; current is not null; current = current.OverriddenMethod)
        {
            // System.Object's entries describe its own implementations (ToString prints the type's
            // name); an override prints or compares what its type holds, so without an entry of its
            // own it follows the default rule (a tuple's or a KeyValuePair's ToString shows the values).
            if (!SymbolEqualityComparer.Default.Equals(current, method) && current.ContainingType?.SpecialType == SpecialType.System_Object)
            {
                break;
            }

            if (Match(current) is { } own)
            {
                return own;
            }
        }

        // A member of an interface it implements (IEnumerable<T>.GetEnumerator for a library collection).
        if (method.ContainingType is { } type && !method.IsStatic)
        {
            foreach (INamedTypeSymbol @interface in type.AllInterfaces)
            {
                foreach (ISymbol member in @interface.GetMembers(method.Name))
                {
                    if (member is IMethodSymbol candidate
                        && SymbolEqualityComparer.Default.Equals(type.FindImplementationForInterfaceMember(candidate)?.OriginalDefinition, method.OriginalDefinition)
                        && Match(candidate) is { } implemented)
                    {
                        return implemented;
                    }
                }
            }
        }

        return null;
    }

    private ModelEntry? Match(IMethodSymbol method)
    {
        if (method.ContainingType is null)
        {
            return null;
        }

        string type = TypeName(method.ContainingType);
        string[] names = method.AssociatedSymbol is IPropertySymbol property && method.MethodKind == MethodKind.PropertyGet && !property.IsIndexer
            ? [method.Name, property.Name]
            : [method.Name];
        ModelEntry? any = null;
        foreach (string name in names)
        {
            if (!_byMember.TryGetValue((type, name), out List<ModelEntry>? entries))
            {
                continue;
            }

            foreach (ModelEntry entry in entries)
            {
                if (entry.ParameterTypes is not { } types)
                {
                    any ??= entry;
                }
                else if (types.Length == method.Parameters.Length
                    && types.Select((t, i) => t == ParameterTypeName(method.OriginalDefinition.Parameters[i].Type) || t == "_").All(ok => ok))
                {
                    return entry;
                }
            }
        }

        return any;
    }

    private static bool SameParameters(ImmutableArray<string>? a, ImmutableArray<string>? b) =>
        a is null ? b is null : b is not null && a.Value.SequenceEqual(b.Value);

    private static ImmutableArray<ModelEntry> LoadShipped()
    {
        SourceText text = ShippedText();
        ImmutableArray<ModelEntry> entries = ModelParser.Parse(text, ShippedFileName, out var invalid);
        return invalid.IsEmpty
            ? entries
            : throw new InvalidOperationException(ShippedFileName + " line " + (text.Lines.IndexOf(invalid[0].Line.Start) + 1) + ": " + invalid[0].Problem);
    }

}
