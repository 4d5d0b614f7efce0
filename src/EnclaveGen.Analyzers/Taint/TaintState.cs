using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;

namespace EnclaveGen.Analyzers.Taint;

/// <summary>
/// What the analysis knows at one program point: the taint of each tracked location, which
/// delegate-typed locations hold which lambda, and which ref locals alias which location.
/// A location that is not in <see cref="Values"/> is clean.
/// </summary>
internal sealed class TaintState
{
    public TaintState()
    {
    }

    private TaintState(TaintState other)
    {
        Values = new Dictionary<TaintKey, TaintValue>(other.Values);
        Lambdas = new Dictionary<TaintKey, IFlowAnonymousFunctionOperation>(other.Lambdas);
        Aliases = new Dictionary<TaintKey, TaintKey>(other.Aliases);
    }

    public Dictionary<TaintKey, TaintValue> Values { get; } = new();

    public Dictionary<TaintKey, IFlowAnonymousFunctionOperation> Lambdas { get; } = new();

    public Dictionary<TaintKey, TaintKey> Aliases { get; } = new();

    public TaintState Clone() => new(this);

    /// <summary>The value stored at <paramref name="key"/> itself, plus everything stored below it and the object-level taint of the keys above it.</summary>
    public TaintValue? Read(TaintKey key)
    {
        TaintValue? result = null;
        foreach (TaintKey ancestor in key.Ancestors())
        {
            if (Values.TryGetValue(ancestor, out TaintValue? value))
            {
                result = TaintValue.Join(result, value);
            }
        }

        foreach (KeyValuePair<TaintKey, TaintValue> entry in Values)
        {
            if (entry.Key.IsWithin(key))
            {
                result = TaintValue.Join(result, entry.Value);
            }
        }

        return result;
    }

    /// <summary>Overwrites <paramref name="key"/> and everything below it.</summary>
    public void Set(TaintKey key, TaintValue? value)
    {
        RemoveWithin(key);
        if (value is not null)
        {
            Values[key] = value;
        }
    }

    /// <summary>Adds to <paramref name="key"/> without removing what was there (an element of an array, one entry of a collection).</summary>
    public void Add(TaintKey key, TaintValue? value)
    {
        if (value is null)
        {
            return;
        }

        Values[key] = Values.TryGetValue(key, out TaintValue? old) ? TaintValue.Join(old, value)! : value;
    }

    /// <summary>Copies the structure below <paramref name="from"/> to below <paramref name="to"/>.</summary>
    public void Copy(TaintKey from, TaintKey to, Func<TaintValue, TaintValue> adjust)
    {
        var moved = new List<KeyValuePair<TaintKey, TaintValue>>();
        foreach (KeyValuePair<TaintKey, TaintValue> entry in Values)
        {
            if (entry.Key.IsWithin(from) && entry.Key.Rebase(from, to) is { } target)
            {
                moved.Add(new(target, adjust(entry.Value)));
            }
        }

        TaintValue? above = null;
        foreach (TaintKey ancestor in from.Ancestors())
        {
            if (Values.TryGetValue(ancestor, out TaintValue? value))
            {
                above = TaintValue.Join(above, value);
            }
        }

        RemoveWithin(to);
        foreach (KeyValuePair<TaintKey, TaintValue> entry in moved)
        {
            Add(entry.Key, entry.Value);
        }

        if (above is not null)
        {
            Add(to, adjust(above));
        }

        if (Lambdas.TryGetValue(from, out IFlowAnonymousFunctionOperation? lambda))
        {
            Lambdas[to] = lambda;
        }
    }

    /// <summary>Joins <paramref name="other"/> into this state; true when something changed.</summary>
    public bool JoinWith(TaintState other)
    {
        bool changed = false;
        foreach (KeyValuePair<TaintKey, TaintValue> entry in other.Values)
        {
            if (Values.TryGetValue(entry.Key, out TaintValue? mine))
            {
                TaintValue joined = TaintValue.Join(mine, entry.Value)!;
                if (!TaintValue.SameTaint(joined, mine))
                {
                    changed = true;
                }

                Values[entry.Key] = joined;
            }
            else
            {
                Values[entry.Key] = entry.Value;
                changed = true;
            }
        }

        foreach (KeyValuePair<TaintKey, IFlowAnonymousFunctionOperation> entry in other.Lambdas)
        {
            if (!Lambdas.ContainsKey(entry.Key))
            {
                Lambdas[entry.Key] = entry.Value;
                changed = true;
            }
        }

        foreach (KeyValuePair<TaintKey, TaintKey> entry in other.Aliases)
        {
            if (!Aliases.ContainsKey(entry.Key))
            {
                Aliases[entry.Key] = entry.Value;
                changed = true;
            }
        }

        return changed;
    }

    private void RemoveWithin(TaintKey key)
    {
        List<TaintKey>? remove = null;
        foreach (TaintKey existing in Values.Keys)
        {
            if (existing.IsWithin(key))
            {
                (remove ??= new()).Add(existing);
            }
        }

        if (remove is not null)
        {
            foreach (TaintKey existing in remove)
            {
                Values.Remove(existing);
            }
        }

        Lambdas.Remove(key);
    }
}
