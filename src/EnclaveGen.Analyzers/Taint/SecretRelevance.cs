using EnclaveGen.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace EnclaveGen.Analyzers.Taint;

/// <summary>
/// A syntactic pre-filter for the leak analysis. A secret reaches a method body only through a
/// name the body mentions: a <c>[Secret]</c> declaration, an unsealing or channel API, a field
/// or property some secret-touching body writes, or a method whose own body touches a secret.
/// This class computes those names for the whole compilation from syntax alone (a fixed point
/// over every member), so the analysis can skip bodies that mention none of them without the
/// operations and control flow graph that cost most of its time. It only ever says "may touch
/// a secret" too often: where a secret could arrive without a name (an operator, an indexer, a
/// conversion, or a method the compiler calls implicitly that touches a secret), it gives up
/// and lets every body through.
/// </summary>
internal sealed class SecretRelevance
{
    // Unsealed data and channel records are secret without a [Secret] in sight (EnclaveSymbols.OpensProtectedData).
    private static readonly string[] s_protectedDataApis = ["Unseal", "UnsealString", "UnsealValue", "Open"];

    // Methods the compiler calls without their name in the source (foreach, using, await,
    // deconstruction, collection initializers, query expressions, delegate invocation).
    private static readonly HashSet<string> s_implicitlyCalled = new(StringComparer.Ordinal)
    {
        "GetEnumerator", "GetAsyncEnumerator", "MoveNext", "MoveNextAsync", "Current", "Dispose", "DisposeAsync",
        "GetAwaiter", "GetResult", "Deconstruct", "Add", "Invoke", "Slice", "GetPinnableReference",
        "Select", "SelectMany", "Where", "OrderBy", "OrderByDescending", "ThenBy", "ThenByDescending",
        "GroupBy", "Join", "GroupJoin", "Cast", "AppendLiteral", "AppendFormatted", "IsCompleted", "OnCompleted",
    };

    /// <summary>Whether the compiler may call a member of this name without the name in the source.</summary>
    public static bool IsImplicitlyCalledName(string name) => s_implicitlyCalled.Contains(name);

    // Not an identifier: the name every constructor is reached through.
    private const string AnyConstructor = "<constructor>";

    private readonly RelevantBodies _bodies;

    private SecretRelevance(RelevantBodies bodies, HashSet<string>? deciding = null)
    {
        _bodies = bodies;
        Deciding = deciding;
    }

    /// <summary>
    /// The names whose mention can decide a verdict: every name a secret may come through, every
    /// member's and every data member's name. A body edit that adds or removes only other
    /// identifiers changes nothing here. Null when the filter gave up (let everything through).
    /// </summary>
    public HashSet<string>? Deciding { get; }

    /// <summary>This verdict (of a later version of the compilation) asked about with symbols of an earlier version (<see cref="RelevantBodies.Through"/>).</summary>
    public SecretRelevance Through(Func<SyntaxTree, TextSpan, (SyntaxTree, TextSpan)?> place) => new(_bodies.Through(place), Deciding);

    /// <summary>Whether the body of <paramref name="member"/> (a method, or a field's or property's initializer) may see a secret (false only when it certainly cannot).</summary>
    public bool MayTouchSecret(ISymbol member) => _bodies.Contains(member);

    /// <summary>Computes which bodies may see a secret, from the compilation's syntax and its references' <c>[Secret]</c> members.</summary>
    /// <param name="compilation">The compilation.</param>
    /// <param name="secretSourceNames">The names of library members whose model makes secret data (<c>LibraryModels.SecretSourceNames</c>): a body that names one may hold a secret.</param>
    /// <param name="cancellationToken">Cancels the computation.</param>
    public static SecretRelevance Compute(Compilation compilation, IEnumerable<string> secretSourceNames, CancellationToken cancellationToken)
    {
        var secretAttributes = new HashSet<string>(StringComparer.Ordinal) { "Secret", "SecretAttribute" };
        // Generated code is never analysed and has no summaries (TaintContext.GetGraph), so it is no way in.
        var roots = compilation.SyntaxTrees
            .Where(tree => !GeneratedCode.IsGenerated(tree, cancellationToken))
            .Select(tree => tree.GetRoot(cancellationToken))
            .ToList();
        foreach (SyntaxNode root in roots)
        {
            foreach (UsingDirectiveSyntax alias in root.DescendantNodes(n => n is CompilationUnitSyntax or BaseNamespaceDeclarationSyntax).OfType<UsingDirectiveSyntax>())
            {
                if (alias.Alias is { } name && alias.Name is { } target && IsSecretAttributeName(target, secretAttributes))
                {
                    secretAttributes.Add(name.Name.Identifier.ValueText);
                }
            }
        }

        var names = new HashSet<string>(s_protectedDataApis, StringComparer.Ordinal);
        names.UnionWith(secretSourceNames);
        if (!AddSecretMembersFromReferences(compilation, names))
        {
            return new SecretRelevance(RelevantBodies.All);
        }

        var units = new List<Unit>();
        var dataMembers = new HashSet<string>(StringComparer.Ordinal);
        foreach (SyntaxNode root in roots)
        {
            if (!CollectUnits(root, units, dataMembers, names, secretAttributes))
            {
                return new SecretRelevance(RelevantBodies.All);
            }
        }

        // Fixed point: a body that mentions a name a secret can come through may hold a secret,
        // and then so may callers that name it and readers of the fields and properties it names.
        // A body it calls may be handed the secret (an argument, a ref it returns): the fields and
        // properties that body names may hold it too, so their readers may as well.
        var byName = units.SelectMany(u => u.Names.Select(n => (Name: n, Unit: u))).ToLookup(e => e.Name, e => e.Unit, StringComparer.Ordinal);
        var relevant = new HashSet<(SyntaxTree, TextSpan)>();
        bool changed = true;
        while (changed)
        {
            cancellationToken.ThrowIfCancellationRequested();
            changed = false;
            foreach (Unit unit in units)
            {
                if (!unit.IsRelevant && RelevantBodies.Overlap(unit.Mentions, names))
                {
                    if (unit.IsImplicitlyCalled)
                    {
                        return new SecretRelevance(RelevantBodies.All);
                    }

                    unit.IsRelevant = true;
                    changed = true;
                    relevant.Add((unit.Syntax.SyntaxTree, unit.Syntax.Span));
                    names.UnionWith(unit.Names);
                }

                if ((unit.IsRelevant || unit.MayReceive) && !unit.Propagated)
                {
                    unit.Propagated = true;
                    changed = true;
                    foreach (string mentioned in unit.Mentions)
                    {
                        if (dataMembers.Contains(mentioned))
                        {
                            names.Add(mentioned);
                        }

                        foreach (Unit callee in byName[mentioned])
                        {
                            callee.MayReceive = true;
                        }
                    }
                }
            }
        }

        var deciding = new HashSet<string>(names, StringComparer.Ordinal);
        deciding.UnionWith(dataMembers);
        deciding.UnionWith(units.SelectMany(u => u.Names));
        return new SecretRelevance(RelevantBodies.Of(relevant), deciding);
    }

    // Walks namespaces and types down to their members; false when a [Secret] sits where no name leads to it.
    private static bool CollectUnits(SyntaxNode node, List<Unit> units, HashSet<string> dataMembers, HashSet<string> secretNames, HashSet<string> secretAttributes)
    {
        foreach (SyntaxNode child in node.ChildNodes())
        {
            switch (child)
            {
                case BaseNamespaceDeclarationSyntax or CompilationUnitSyntax:
                    if (!CollectUnits(child, units, dataMembers, secretNames, secretAttributes))
                    {
                        return false;
                    }

                    break;
                case TypeDeclarationSyntax type:
                    // An object of a type with a [Secret] member carries its secret wherever the
                    // object goes, read by name or not (an OCALL argument, an ECALL result, a
                    // generated ToString): no name leads there, so every body may see one.
                    if (!IsEnclave(type) && type.DescendantNodes(n => n is not BaseTypeDeclarationSyntax || n == type).OfType<AttributeSyntax>().Any(a => IsSecretAttributeName(a.Name, secretAttributes)))
                    {
                        return false;
                    }

                    // Primary constructor and record parameters are named in the type's members.
                    foreach (ParameterSyntax parameter in type.ParameterList?.Parameters ?? default)
                    {
                        dataMembers.Add(parameter.Identifier.ValueText);
                        if (HasSecretAttribute(parameter.AttributeLists, secretAttributes))
                        {
                            secretNames.Add(parameter.Identifier.ValueText);
                        }
                    }

                    if (!CollectUnits(type, units, dataMembers, secretNames, secretAttributes))
                    {
                        return false;
                    }

                    break;
                case BaseTypeDeclarationSyntax or DelegateDeclarationSyntax:
                    break;
                case MemberDeclarationSyntax member:
                    if (!AddUnit(member, units, dataMembers, secretNames, secretAttributes))
                    {
                        return false;
                    }

                    break;
            }
        }

        return true;
    }

    private static bool AddUnit(MemberDeclarationSyntax member, List<Unit> units, HashSet<string> dataMembers, HashSet<string> secretNames, HashSet<string> secretAttributes)
    {
        string[] memberNames;
        bool implicitlyCalled = false;
        string? extraMention = null;
        switch (member)
        {
            case MethodDeclarationSyntax method:
                memberNames = [method.Identifier.ValueText];
                implicitlyCalled = s_implicitlyCalled.Contains(method.Identifier.ValueText);
                break;
            case ConstructorDeclarationSyntax constructor:
                // `new T(...)` names the type; `: base(...)`, `: this(...)` and implicit base
                // calls name nothing, so one constructor that may touch a secret lets all through.
                memberNames = [constructor.Identifier.ValueText, AnyConstructor];
                extraMention = AnyConstructor;
                break;
            case DestructorDeclarationSyntax:
                // Run by the finalizer only: analysed for itself, never a way in for others.
                memberNames = [];
                break;
            case PropertyDeclarationSyntax property:
                memberNames = [property.Identifier.ValueText];
                dataMembers.Add(property.Identifier.ValueText);
                implicitlyCalled = s_implicitlyCalled.Contains(property.Identifier.ValueText);
                break;
            case EventDeclarationSyntax @event:
                memberNames = [@event.Identifier.ValueText];
                dataMembers.Add(@event.Identifier.ValueText);
                break;
            case BaseFieldDeclarationSyntax field:
                memberNames = [.. field.Declaration.Variables.Select(v => v.Identifier.ValueText)];
                dataMembers.UnionWith(memberNames);
                break;
            case IndexerDeclarationSyntax or OperatorDeclarationSyntax or ConversionOperatorDeclarationSyntax:
                memberNames = [];
                implicitlyCalled = true;
                break;
            default:
                return true;
        }

        var mentions = new HashSet<string>(StringComparer.Ordinal);
        if (extraMention is not null)
        {
            mentions.Add(extraMention);
        }

        mentions.UnionWith(Mentions(member));
        foreach (AttributeSyntax attribute in member.DescendantNodes().OfType<AttributeSyntax>())
        {
            if (!IsSecretAttributeName(attribute.Name, secretAttributes))
            {
                continue;
            }

            switch (attribute.Parent?.Parent)
            {
                case ParameterSyntax parameter:
                    secretNames.Add(parameter.Identifier.ValueText);
                    break;
                case MemberDeclarationSyntax when memberNames.Length > 0:
                    secretNames.UnionWith(memberNames);
                    break;
                default:
                    // A [Secret] indexer or operator is read without a name.
                    return false;
            }
        }

        units.Add(new Unit(member, memberNames, mentions, implicitlyCalled));
        return true;
    }

    /// <summary>The names a member mentions, as this filter reads them: every identifier in it.</summary>
    public static IEnumerable<string> Mentions(SyntaxNode member) =>
        member.DescendantTokens().Where(token => token.IsKind(SyntaxKind.IdentifierToken)).Select(token => token.ValueText);

    // [Secret] members of referenced assemblies that know EnclaveGen (others cannot declare one);
    // false when one has no name to follow (an indexer or operator).
    private static bool AddSecretMembersFromReferences(Compilation compilation, HashSet<string> names)
    {
        foreach (IAssemblySymbol assembly in compilation.SourceModule.ReferencedAssemblySymbols)
        {
            // EnclaveGen's own assemblies declare no [Secret] member (ReferencedAssemblyTests checks):
            // their sources are the APIs in s_protectedDataApis.
            if (assembly.Name is KnownNames.AbstractionsAssembly or KnownNames.RuntimeAssembly or KnownNames.AttestationAssembly
                || !assembly.Modules.Any(m => m.ReferencedAssemblies.Any(r => r.Name == KnownNames.AbstractionsAssembly)))
            {
                continue;
            }

            var types = new Stack<INamespaceOrTypeSymbol>();
            types.Push(assembly.GlobalNamespace);
            while (types.Count > 0)
            {
                foreach (ISymbol member in types.Pop().GetMembers())
                {
                    switch (member)
                    {
                        case INamespaceOrTypeSymbol container:
                            types.Push(container);
                            break;
                        case IMethodSymbol method when method.GetReturnTypeAttributes().Any(IsSecret):
                        case IPropertySymbol or IFieldSymbol when member.GetAttributes().Any(IsSecret):
                            if (member is IPropertySymbol { IsIndexer: true } or IMethodSymbol { MethodKind: not MethodKind.Ordinary and not MethodKind.PropertyGet })
                            {
                                return false;
                            }

                            names.Add(member is IMethodSymbol { AssociatedSymbol: { } associated } ? associated.Name : member.Name);
                            break;
                    }
                }
            }
        }

        return true;
    }

    private static bool IsSecret(AttributeData attribute) =>
        attribute.AttributeClass is { Name: "SecretAttribute", ContainingNamespace.Name: "EnclaveGen" };

    private static bool IsSecretAttributeName(NameSyntax name, HashSet<string> secretAttributes) => name switch
    {
        QualifiedNameSyntax qualified => secretAttributes.Contains(qualified.Right.Identifier.ValueText),
        AliasQualifiedNameSyntax aliased => secretAttributes.Contains(aliased.Name.Identifier.ValueText),
        SimpleNameSyntax simple => secretAttributes.Contains(simple.Identifier.ValueText),
        _ => false,
    };

    private static bool IsEnclave(TypeDeclarationSyntax type) =>
        type.AttributeLists.SelectMany(list => list.Attributes).Any(a => a.Name.ToString() is "Enclave" or "EnclaveAttribute" or "EnclaveGen.Enclave" or "EnclaveGen.EnclaveAttribute");

    private static bool HasSecretAttribute(SyntaxList<AttributeListSyntax> lists, HashSet<string> secretAttributes) =>
        lists.SelectMany(list => list.Attributes).Any(attribute => IsSecretAttributeName(attribute.Name, secretAttributes));

    private sealed class Unit(MemberDeclarationSyntax syntax, string[] names, HashSet<string> mentions, bool isImplicitlyCalled)
    {
        public MemberDeclarationSyntax Syntax { get; } = syntax;

        public string[] Names { get; } = names;

        public HashSet<string> Mentions { get; } = mentions;

        public bool IsImplicitlyCalled { get; } = isImplicitlyCalled;

        public bool IsRelevant { get; set; }

        /// <summary>Called (by name) from a body that may hold a secret: it may be handed one.</summary>
        public bool MayReceive { get; set; }

        /// <summary>Its mentions were followed since it became relevant or a receiver.</summary>
        public bool Propagated { get; set; }
    }
}
