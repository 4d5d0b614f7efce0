using EnclaveGen.Shared;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace EnclaveGen.Analyzers.Taint;

/// <summary>
/// The syntactic pre-filter of the integrity rules, the counterpart of <see cref="SecretRelevance"/>.
/// Host-controlled data enters a body only through a name: an OCALL that hands something back
/// (a result, an <c>out</c>/<c>ref</c> argument, an <c>[Out]</c> buffer), a clock API, a method
/// whose body reads one, or a field or property such a body names. An ECALL's own numbers
/// matter only where something is sized (EG6002): an ECALL with an integer parameter is let
/// through when its body, or a method it names, allocates, loops or sizes a collection.
/// Everything else is skipped without binding. Like the secret filter it only ever says "may"
/// too often, and gives up (lets every body through) when a body that reads host data is one
/// the compiler calls without its name (an operator, an indexer, a conversion).
/// </summary>
internal sealed class HostRelevance
{
    // Clock APIs the host answers (EG6005 sources; EG1202 reports the call itself).
    private static readonly string[] s_hostTimeApis = ["Now", "UtcNow", "Today", "TickCount", "TickCount64", "GetTimestamp"];

    // Names that allocate or size by a number (the model's 'sink size' entries, and the loops).
    private static readonly HashSet<string> s_sizingNames = new(StringComparer.Ordinal)
    {
        "Range", "Repeat", "Rent", "AllocateArray", "AllocateUninitializedArray", "Resize", "EnsureCapacity", "SetLength", "PadLeft", "PadRight",
    };

    private readonly RelevantBodies _bodies;

    private HostRelevance(RelevantBodies bodies, HashSet<string>? deciding = null)
    {
        _bodies = bodies;
        Deciding = deciding;
    }

    /// <summary>
    /// The names whose mention can decide a verdict: every name host data may come through, every
    /// name that sizes, every member's and every data member's name. Null when the filter gave up.
    /// </summary>
    public HashSet<string>? Deciding { get; }

    /// <summary>This verdict (of a later version of the compilation) asked about with symbols of an earlier version (<see cref="RelevantBodies.Through"/>).</summary>
    public HostRelevance Through(Func<SyntaxTree, TextSpan, (SyntaxTree, TextSpan)?> place) => new(_bodies.Through(place), Deciding);

    /// <summary>Whether the body of <paramref name="member"/> may see host-controlled data (false only when it certainly cannot).</summary>
    public bool MayTouchHostData(ISymbol member) => _bodies.Contains(member);

    public static HostRelevance Compute(Compilation compilation, IEnumerable<string> hostSourceNames, CancellationToken cancellationToken)
    {
        var units = new List<Unit>();
        var dataMembers = new HashSet<string>(StringComparer.Ordinal);
        var names = new HashSet<string>(s_hostTimeApis, StringComparer.Ordinal);
        names.UnionWith(hostSourceNames);
        foreach (SyntaxTree tree in compilation.SyntaxTrees)
        {
            if (GeneratedCode.IsGenerated(tree, cancellationToken))
            {
                continue;
            }

            foreach (MemberDeclarationSyntax member in tree.GetRoot(cancellationToken).DescendantNodes(n => n is CompilationUnitSyntax or BaseNamespaceDeclarationSyntax or TypeDeclarationSyntax).OfType<MemberDeclarationSyntax>())
            {
                switch (member)
                {
                    case TypeDeclarationSyntax { ParameterList: { } parameters }:
                        // A record's or primary constructor's parameters are its properties.
                        dataMembers.UnionWith(parameters.Parameters.Select(p => p.Identifier.ValueText));
                        break;
                    case MethodDeclarationSyntax method when IsUntrusted(method.AttributeLists):
                        if (HandsBack(method))
                        {
                            names.Add(method.Identifier.ValueText);
                        }

                        break;
                    case BaseMethodDeclarationSyntax or PropertyDeclarationSyntax or BaseFieldDeclarationSyntax or IndexerDeclarationSyntax or EventDeclarationSyntax:
                        units.Add(Unit.Of(member, dataMembers));
                        break;
                }
            }
        }

        // Sizing: a body that allocates or loops, or names one that does.
        var sizingNames = new HashSet<string>(s_sizingNames, StringComparer.Ordinal);
        for (bool changed = true; changed;)
        {
            changed = false;
            foreach (Unit unit in units)
            {
                if (!unit.Sizes && (unit.HasSizingSyntax || RelevantBodies.Overlap(unit.Mentions, sizingNames)))
                {
                    unit.Sizes = true;
                    changed = true;
                    sizingNames.UnionWith(unit.Names);
                }
            }
        }

        var relevant = new HashSet<(SyntaxTree, TextSpan)>();
        foreach (Unit unit in units.Where(u => u.IsEcallWithCount && u.Sizes))
        {
            relevant.Add((unit.Syntax.SyntaxTree, unit.Syntax.Span));
        }

        // Host data: a body naming a source may hold it; so may its callers (it returns it) and the
        // readers of the fields and properties it names (it may store it there).
        for (bool changed = true; changed;)
        {
            cancellationToken.ThrowIfCancellationRequested();
            changed = false;
            foreach (Unit unit in units)
            {
                if (unit.IsHostRelevant || !RelevantBodies.Overlap(unit.Mentions, names))
                {
                    continue;
                }

                if (unit.IsImplicitlyCalled)
                {
                    return new HostRelevance(RelevantBodies.All);
                }

                unit.IsHostRelevant = true;
                changed = true;
                relevant.Add((unit.Syntax.SyntaxTree, unit.Syntax.Span));
                names.UnionWith(unit.Names);
                names.UnionWith(unit.Mentions.Where(dataMembers.Contains));
            }
        }

        var deciding = new HashSet<string>(names, StringComparer.Ordinal);
        deciding.UnionWith(sizingNames);
        deciding.UnionWith(dataMembers);
        deciding.UnionWith(units.SelectMany(u => u.Names));
        return new HostRelevance(RelevantBodies.Of(relevant), deciding);
    }

    /// <summary>The names a member mentions as this filter reads them (identifiers that are names), and whether it sizes something by a number.</summary>
    public static HashSet<string> Mentions(SyntaxNode member, out bool sizes)
    {
        var mentions = new HashSet<string>(StringComparer.Ordinal);
        sizes = false;

        // Tokens, not nodes: every node of every body would be made for this walk alone.
        foreach (SyntaxToken token in member.DescendantTokens())
        {
            if (token.IsKind(SyntaxKind.IdentifierToken) && token.Parent is IdentifierNameSyntax)
            {
                mentions.Add(token.ValueText);
            }
            else
            {
                sizes |= Sizes(token);
            }
        }

        return mentions;
    }

    // Whether a token starts something sized by a number: an array, a stackalloc, an object made with arguments, a loop.
    private static bool Sizes(SyntaxToken token) =>
        token.Kind() is SyntaxKind.NewKeyword or SyntaxKind.StackAllocKeyword or SyntaxKind.ForKeyword or SyntaxKind.WhileKeyword or SyntaxKind.DoKeyword
        && token.Parent is ArrayCreationExpressionSyntax or StackAllocArrayCreationExpressionSyntax or ForStatementSyntax or WhileStatementSyntax or DoStatementSyntax
            or BaseObjectCreationExpressionSyntax { ArgumentList.Arguments.Count: > 0 };

    // An OCALL that hands data back: a result, or an out, ref or [Out] argument.
    private static bool HandsBack(MethodDeclarationSyntax ocall) =>
        !(ocall.ReturnType is PredefinedTypeSyntax { Keyword.ValueText: "void" } || ocall.ReturnType is IdentifierNameSyntax { Identifier.ValueText: "Task" or "ValueTask" })
        || ocall.ParameterList.Parameters.Any(p => p.Modifiers.Any(m => m.IsKind(SyntaxKind.OutKeyword) || m.IsKind(SyntaxKind.RefKeyword))
            || p.AttributeLists.SelectMany(l => l.Attributes).Any(a => a.Name.ToString() is "Out" or "OutAttribute" or "System.Runtime.InteropServices.Out"));

    private static bool IsUntrusted(SyntaxList<AttributeListSyntax> lists) =>
        lists.SelectMany(l => l.Attributes).Any(a => a.Name.ToString() is "Untrusted" or "UntrustedAttribute" or "EnclaveGen.Untrusted" or "EnclaveGen.UntrustedAttribute");

    private static bool IsTrusted(SyntaxList<AttributeListSyntax> lists) =>
        lists.SelectMany(l => l.Attributes).Any(a => a.Name.ToString() is "Trusted" or "TrustedAttribute" or "EnclaveGen.Trusted" or "EnclaveGen.TrustedAttribute");

    private sealed class Unit
    {
        private Unit(MemberDeclarationSyntax syntax, string[] names, HashSet<string> mentions)
        {
            Syntax = syntax;
            Names = names;
            Mentions = mentions;
        }

        public MemberDeclarationSyntax Syntax { get; }

        public string[] Names { get; }

        public HashSet<string> Mentions { get; }

        public bool IsImplicitlyCalled { get; private set; }

        public bool IsEcallWithCount { get; private set; }

        public bool HasSizingSyntax { get; private set; }

        public bool Sizes { get; set; }

        public bool IsHostRelevant { get; set; }

        public static Unit Of(MemberDeclarationSyntax member, HashSet<string> dataMembers)
        {
            string[] names = member switch
            {
                MethodDeclarationSyntax method => [method.Identifier.ValueText],
                ConstructorDeclarationSyntax constructor => [constructor.Identifier.ValueText],
                PropertyDeclarationSyntax property => [property.Identifier.ValueText],
                EventDeclarationSyntax @event => [@event.Identifier.ValueText],
                BaseFieldDeclarationSyntax field => [.. field.Declaration.Variables.Select(v => v.Identifier.ValueText)],
                _ => [],
            };

            if (member is PropertyDeclarationSyntax or BaseFieldDeclarationSyntax or EventDeclarationSyntax)
            {
                dataMembers.UnionWith(names);
            }

            HashSet<string> mentions = Mentions(member, out bool sizing);
            return new Unit(member, names, mentions)
            {
                HasSizingSyntax = sizing,
                IsImplicitlyCalled = member is IndexerDeclarationSyntax or OperatorDeclarationSyntax or ConversionOperatorDeclarationSyntax
                    || names.Any(SecretRelevance.IsImplicitlyCalledName),
                IsEcallWithCount = member is MethodDeclarationSyntax ecall && IsTrusted(ecall.AttributeLists)
                    && ecall.ParameterList.Parameters.Any(p => p.Type is PredefinedTypeSyntax { Keyword.ValueText: "int" or "long" or "uint" or "ulong" or "short" or "ushort" or "nint" or "nuint" }),
            };
        }
    }
}
