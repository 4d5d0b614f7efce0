using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;

namespace EnclaveGen.Analyzers.Taint.Incremental;

/// <summary>
/// The last full leak analysis of a compilation, kept so that the next compilation the IDE
/// makes after an edit inside a method body is analysed without binding the enclave again
/// (<see cref="EditedCompilation"/>). Found through what the two compilations share: the IDE
/// hands the next compilation the same options object, and the same tree objects for the files
/// that did not change, while a build makes both anew, so a build never finds one and always
/// analyses in full.
/// </summary>
internal sealed class EarlierAnalysis
{
    // Keyed by the compilation's options object and by each of its trees. The table holds an
    // analysis only as long as one of its keys lives; the analysis (which holds them through its
    // compilation) does not keep them alive.
    private static readonly ConditionalWeakTable<object, EarlierAnalysis> s_byKey = new();
    private static readonly object s_gate = new();

    private EarlierAnalysis(TaintContext context, string modelsKey)
    {
        Context = context;
        ModelsKey = modelsKey;
    }

    /// <summary>The context the analysis ran in: its compilation, bound bodies and graphs.</summary>
    public TaintContext Context { get; }

    /// <summary>The text of the user's model files the analysis read (a different text is a different analysis).</summary>
    public string ModelsKey { get; }

    /// <summary>Keeps a full analysis for the compilations that follow it.</summary>
    public static void Remember(TaintContext context, string modelsKey)
    {
        var earlier = new EarlierAnalysis(context, modelsKey);
        lock (s_gate)
        {
            foreach (object key in context.Compilation.SyntaxTrees.Prepend<object>(context.Compilation.Options))
            {
                s_byKey.Remove(key);
                s_byKey.Add(key, earlier);
            }
        }
    }

    /// <summary>
    /// The earlier analysis <paramref name="compilation"/> differs from by body edits only, with
    /// those edits; null when there is none (then the analysis runs in full).
    /// </summary>
    public static EditedCompilation? FindFor(Compilation compilation, string modelsKey, CancellationToken cancellationToken)
    {
        EarlierAnalysis? earlier = null;
        lock (s_gate)
        {
            foreach (object key in compilation.SyntaxTrees.Prepend<object>(compilation.Options))
            {
                if (s_byKey.TryGetValue(key, out earlier))
                {
                    break;
                }
            }
        }

        if (earlier is null || earlier.ModelsKey != modelsKey)
        {
            return null;
        }

        Compilation old = earlier.Context.Compilation;
        if (!string.Equals(old.AssemblyName, compilation.AssemblyName, StringComparison.Ordinal)
            || !old.Options.Equals(compilation.Options)
            || !old.References.SequenceEqual(compilation.References, ReferenceEqualityComparer.Instance)
            || old.SyntaxTrees.ToList() is not { } oldTrees
            || compilation.SyntaxTrees.ToList() is not { } newTrees
            || oldTrees.Count != newTrees.Count)
        {
            return null;
        }

        var edits = new List<BodyEdit>();
        for (int i = 0; i < oldTrees.Count; i++)
        {
            SyntaxTree before = oldTrees[i];
            SyntaxTree after = newTrees[i];
            if (ReferenceEquals(before, after))
            {
                continue;
            }

            if (BodyEdit.Find(before, after, cancellationToken) is not { } edit)
            {
                return null;
            }

            edits.Add(edit);
        }

        return edits.Count(e => e.OldMember is not null) <= EditedCompilation.MaxEditedBodies ? new EditedCompilation(earlier, compilation, edits) : null;
    }

    private sealed class ReferenceEqualityComparer : IEqualityComparer<MetadataReference>
    {
        public static ReferenceEqualityComparer Instance { get; } = new();

        public bool Equals(MetadataReference? x, MetadataReference? y) => ReferenceEquals(x, y);

        public int GetHashCode(MetadataReference obj) => RuntimeHelpers.GetHashCode(obj);
    }
}
