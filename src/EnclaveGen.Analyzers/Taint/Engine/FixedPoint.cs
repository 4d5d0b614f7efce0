using System.Collections.Immutable;
using Microsoft.CodeAnalysis.FlowAnalysis;

namespace EnclaveGen.Analyzers.Taint;

/// <summary>What one block did, for the fixed point: the labels of its branch condition.</summary>
internal interface IBlockTransfer
{
    /// <summary>
    /// Runs the operations of <paramref name="block"/> on <paramref name="state"/> (changed in
    /// place) under the labels of the branches that decide whether it runs; returns the labels of
    /// its own branch condition (null when it has none or it is public).
    /// </summary>
    Taint? Transfer(BasicBlock block, State state, Taint? implicitForAssignments, Taint? implicitForSinks);

    /// <summary>
    /// The state <paramref name="block"/> (just transferred) hands <paramref name="successor"/>:
    /// <paramref name="state"/>, or a copy with what that edge of its condition establishes (a bound, a verification).
    /// </summary>
    State StateOnEdge(BasicBlock block, State state, int successor);
}

/// <summary>
/// The forward dataflow over one control flow graph, to a fixed point: the state entering each
/// block is the join of the states leaving its predecessors (normal and exceptional edges, from
/// <see cref="FlowGraph"/>), blocks are visited in order of their ordinal, and a block whose
/// input changed is visited again (at most <see cref="AnalysisLimits.MaxVisitsPerBlock"/> times).
/// Control dependence turns the labels of a branch condition into implicit labels of the
/// blocks it decides, which are visited again when those labels grow.
/// </summary>
internal static class FixedPoint
{
    /// <summary>Runs the graph from <paramref name="entry"/>; returns the join of the states at its exits (normal or by an exception).</summary>
    public static State Run(
        ControlFlowGraph cfg,
        FlowGraph graph,
        State entry,
        IBlockTransfer transfer,
        Taint? outerImplicitForAssignments,
        Taint? outerImplicitForSinks,
        CancellationToken cancellationToken,
        out bool completed)
    {
        ImmutableArray<BasicBlock> blocks = cfg.Blocks;
        var input = new State?[blocks.Length];
        var branchTaint = new Taint?[blocks.Length];
        var visits = new int[blocks.Length];
        var pending = new SortedSet<int> { 0 };
        input[0] = entry;
        State? exit = null;
        completed = true;

        while (pending.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int ordinal = pending.Min;
            pending.Remove(ordinal);
            if (++visits[ordinal] > AnalysisLimits.MaxVisitsPerBlock)
            {
                completed = false;
                continue;
            }

            BasicBlock block = blocks[ordinal];
            State state = input[ordinal]!.Clone();

            // The implicit labels: of the branches this block depends on, and of the caller's context.
            Taint? forAssignments = outerImplicitForAssignments;
            Taint? forSinks = outerImplicitForSinks;
            foreach (int branch in graph.ControlDependences[ordinal])
            {
                if (branchTaint[branch] is { } taint && graph.Conditions[branch] is { } info)
                {
                    Taint implicitTaint = taint.WithFlags(TaintFlags.Implicit);
                    forSinks = Taint.Join(forSinks, implicitTaint);
                    forAssignments = Taint.Join(forAssignments, info.IsExpression ? taint : implicitTaint);
                }
            }

            Taint? condition = transfer.Transfer(block, state, forAssignments, forSinks);
            if (condition is not null && block.ConditionKind != ControlFlowConditionKind.None && graph.Conditions[ordinal] is not null)
            {
                Taint joined = Taint.Join(branchTaint[ordinal], condition)!;
                if (!Taint.SameTaint(joined, branchTaint[ordinal]))
                {
                    branchTaint[ordinal] = joined;
                    foreach (int dependent in graph.Dependents[ordinal])
                    {
                        if (input[dependent] is not null)
                        {
                            pending.Add(dependent);
                        }
                    }
                }
            }

            if (block.Kind == BasicBlockKind.Exit
                || block.FallThroughSuccessor?.Semantics is ControlFlowBranchSemantics.Throw or ControlFlowBranchSemantics.Rethrow)
            {
                exit = Join(exit, state);
            }

            foreach (int successor in graph.Successors[ordinal])
            {
                State handed = block.ConditionKind == ControlFlowConditionKind.None ? state : transfer.StateOnEdge(block, state, successor);
                if (input[successor] is null)
                {
                    input[successor] = handed.Clone();
                    pending.Add(successor);
                }
                else if (input[successor]!.JoinWith(handed))
                {
                    pending.Add(successor);
                }
            }
        }

        return exit ?? entry;
    }

    private static State Join(State? into, State state)
    {
        if (into is null)
        {
            return state.Clone();
        }

        into.JoinWith(state);
        return into;
    }
}
