using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace EnclaveGen.Analyzers.Taint;

/// <summary>
/// The edges of a <see cref="ControlFlowGraph"/> the dataflow walks (normal branches, finally
/// routing, exceptional edges from a try into its catch and finally blocks), and control
/// dependence (from post-dominators) for implicit flows.
/// </summary>
internal sealed class FlowGraph
{
    private FlowGraph(int count)
    {
        Successors = new List<int>[count];
        ControlDependences = new List<int>[count];
        for (int i = 0; i < count; i++)
        {
            Successors[i] = new List<int>();
            ControlDependences[i] = new List<int>();
        }

        Conditions = new ConditionInfo?[count];
        InCycle = new bool[count];
        Dependents = new List<int>[count];
        for (int i = 0; i < count; i++)
        {
            Dependents[i] = new List<int>();
        }
    }

    /// <summary>For each conditional block, the blocks whose running it decides (the inverse of <see cref="ControlDependences"/>).</summary>
    public List<int>[] Dependents { get; }

    /// <summary>For each block, whether it can run more than once (it is on a cycle: a loop body, a retried label).</summary>
    public bool[] InCycle { get; }

    /// <summary>Blocks control may go to next (normal and exceptional).</summary>
    public List<int>[] Successors { get; }

    /// <summary>For each block, the conditional blocks whose outcome decides whether it runs.</summary>
    public List<int>[] ControlDependences { get; }

    /// <summary>For each conditional block, how its condition reads in the source.</summary>
    public ConditionInfo?[] Conditions { get; }

    public static FlowGraph Build(ControlFlowGraph cfg)
    {
        var blocks = cfg.Blocks;
        int count = blocks.Length;
        int exit = count - 1;
        var graph = new FlowGraph(count);
        var normal = new List<int>[count];
        for (int i = 0; i < count; i++)
        {
            normal[i] = new List<int>();
        }

        var afterFinally = new Dictionary<ControlFlowRegion, HashSet<int>>();
        void Edge(int from, int to, bool isNormal)
        {
            if (to < 0 || to >= count)
            {
                // Defensive: never index outside this graph, whatever the regions say.
                return;
            }

            if (!graph.Successors[from].Contains(to))
            {
                graph.Successors[from].Add(to);
            }

            if (isNormal && !normal[from].Contains(to))
            {
                normal[from].Add(to);
            }
        }

        void AfterFinally(ControlFlowRegion region, int target)
        {
            if (!afterFinally.TryGetValue(region, out HashSet<int>? set))
            {
                afterFinally[region] = set = new HashSet<int>();
            }

            set.Add(target);
        }

        foreach (BasicBlock block in blocks)
        {
            foreach (ControlFlowBranch? branch in new[] { block.ConditionalSuccessor, block.FallThroughSuccessor })
            {
                if (branch is null)
                {
                    continue;
                }

                int destination = branch.Destination?.Ordinal ?? -1;
                if (!branch.FinallyRegions.IsEmpty)
                {
                    Edge(block.Ordinal, branch.FinallyRegions[0].FirstBlockOrdinal, true);
                    for (int k = 0; k < branch.FinallyRegions.Length; k++)
                    {
                        int next = k + 1 < branch.FinallyRegions.Length ? branch.FinallyRegions[k + 1].FirstBlockOrdinal : destination;
                        AfterFinally(branch.FinallyRegions[k], next >= 0 ? next : exit);
                    }
                }
                else if (destination >= 0)
                {
                    Edge(block.Ordinal, destination, true);
                }
                else if (branch.Semantics is ControlFlowBranchSemantics.Throw or ControlFlowBranchSemantics.Rethrow or ControlFlowBranchSemantics.ProgramTermination)
                {
                    // Leaves the method: an edge to the exit for post-dominance only.
                    if (!normal[block.Ordinal].Contains(exit))
                    {
                        normal[block.Ordinal].Add(exit);
                    }
                }
            }

            // Exceptional edges: anything in a try may continue in its catch or finally blocks.
            // The regions of a lambda's or local function's graph continue into the enclosing
            // graph's regions: stop at this graph's root.
            for (ControlFlowRegion? region = block.EnclosingRegion; region is not null && region != cfg.Root; region = region.EnclosingRegion)
            {
                if (region.Kind != ControlFlowRegionKind.Try || region.EnclosingRegion is not { } parent)
                {
                    continue;
                }

                foreach (ControlFlowRegion handler in parent.NestedRegions)
                {
                    if (handler.Kind is ControlFlowRegionKind.Catch or ControlFlowRegionKind.FilterAndHandler or ControlFlowRegionKind.Filter)
                    {
                        Edge(block.Ordinal, handler.FirstBlockOrdinal, false);
                    }
                    else if (handler.Kind == ControlFlowRegionKind.Finally)
                    {
                        Edge(block.Ordinal, handler.FirstBlockOrdinal, false);
                        AfterFinally(handler, exit);
                    }
                }
            }
        }

        // The end of a finally block continues wherever the branches that entered it were going.
        foreach (BasicBlock block in blocks)
        {
            if (block.FallThroughSuccessor is { Destination: null, Semantics: ControlFlowBranchSemantics.StructuredExceptionHandling })
            {
                for (ControlFlowRegion? region = block.EnclosingRegion; region is not null && region != cfg.Root; region = region.EnclosingRegion)
                {
                    if (region.Kind == ControlFlowRegionKind.Finally)
                    {
                        if (afterFinally.TryGetValue(region, out HashSet<int>? targets))
                        {
                            foreach (int target in targets.OrderBy(t => t))
                            {
                                Edge(block.Ordinal, target, true);
                            }
                        }

                        Edge(block.Ordinal, exit, true);
                        break;
                    }
                }
            }
        }

        // The throw the compiler adds after the arms of a switch expression (no arm matched) is
        // not a way out that code after the switch depends on: for control dependence it does
        // not exist (the branch to it decides nothing).
        for (int i = 0; i < count; i++)
        {
            normal[i].RemoveAll(target => target != exit && IsSwitchExpressionThrow(blocks[target]));
        }

        for (int i = 0; i < count; i++)
        {
            if (normal[i].Count == 0 && i != exit)
            {
                normal[i].Add(exit);
            }
        }

        graph.ComputeControlDependences(blocks, normal, exit);
        graph.ComputeCycles();
        for (int i = 0; i < count; i++)
        {
            foreach (int branch in graph.ControlDependences[i])
            {
                graph.Dependents[branch].Add(i);
            }
        }

        return graph;
    }

    private void ComputeControlDependences(IReadOnlyList<BasicBlock> blocks, List<int>[] normal, int exit)
    {
        int count = blocks.Count;
        int words = (count + 63) / 64;
        var postDominators = new ulong[count][];
        for (int i = 0; i < count; i++)
        {
            postDominators[i] = new ulong[words];
            if (i == exit)
            {
                Set(postDominators[i], i);
            }
            else
            {
                for (int w = 0; w < words; w++)
                {
                    postDominators[i][w] = ulong.MaxValue;
                }
            }
        }

        bool changed = true;
        var scratch = new ulong[words];
        while (changed)
        {
            changed = false;
            for (int i = count - 1; i >= 0; i--)
            {
                if (i == exit)
                {
                    continue;
                }

                for (int w = 0; w < words; w++)
                {
                    scratch[w] = ulong.MaxValue;
                }

                foreach (int successor in normal[i])
                {
                    for (int w = 0; w < words; w++)
                    {
                        scratch[w] &= postDominators[successor][w];
                    }
                }

                Set(scratch, i);
                for (int w = 0; w < words; w++)
                {
                    if (scratch[w] != postDominators[i][w])
                    {
                        Array.Copy(scratch, postDominators[i], words);
                        changed = true;
                        break;
                    }
                }
            }
        }

        var counts = postDominators.Select(p => p.Sum(w => PopCount(w))).ToArray();
        var immediate = new int[count];
        for (int i = 0; i < count; i++)
        {
            immediate[i] = -1;
            for (int d = 0; d < count; d++)
            {
                if (d != i && IsSet(postDominators[i], d) && counts[d] == counts[i] - 1)
                {
                    immediate[i] = d;
                    break;
                }
            }
        }

        foreach (BasicBlock block in blocks)
        {
            if (block.ConditionKind == ControlFlowConditionKind.None || block.BranchValue is null || block.BranchValue is IIsNullOperation)
            {
                continue;
            }

            Conditions[block.Ordinal] = ConditionInfo.Classify(block.BranchValue.Syntax);
            foreach (int successor in normal[block.Ordinal])
            {
                int runner = successor;
                int guard = 0;
                while (runner >= 0 && runner != immediate[block.Ordinal] && guard++ < count)
                {
                    if (!ControlDependences[runner].Contains(block.Ordinal))
                    {
                        ControlDependences[runner].Add(block.Ordinal);
                    }

                    runner = immediate[runner];
                }
            }
        }
    }

    private static bool IsSwitchExpressionThrow(BasicBlock block) =>
        block.FallThroughSuccessor?.Semantics == ControlFlowBranchSemantics.Throw
        && block.BranchValue is { IsImplicit: true, Syntax: SwitchExpressionSyntax };

    private void ComputeCycles()
    {
        // A block is on a cycle when it can reach itself again: one search per block, graphs are small.
        int count = Successors.Length;
        var seen = new bool[count];
        var stack = new Stack<int>();
        for (int start = 0; start < count; start++)
        {
            Array.Clear(seen, 0, count);
            stack.Clear();
            foreach (int next in Successors[start])
            {
                stack.Push(next);
            }

            while (stack.Count > 0 && !InCycle[start])
            {
                int block = stack.Pop();
                if (block == start)
                {
                    InCycle[start] = true;
                }
                else if (!seen[block])
                {
                    seen[block] = true;
                    foreach (int next in Successors[block])
                    {
                        stack.Push(next);
                    }
                }
            }
        }
    }

    private static void Set(ulong[] bits, int index) => bits[index >> 6] |= 1UL << (index & 63);

    private static bool IsSet(ulong[] bits, int index) => (bits[index >> 6] & (1UL << (index & 63))) != 0;

    private static int PopCount(ulong value)
    {
        int count = 0;
        while (value != 0)
        {
            value &= value - 1;
            count++;
        }

        return count;
    }
}
