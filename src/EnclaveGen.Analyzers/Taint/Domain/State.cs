using System.Collections.Immutable;

namespace EnclaveGen.Analyzers.Taint;

/// <summary>
/// What the analysis knows at one program point: the value of each variable and the cells of
/// each heap object. A variable or cell that is absent holds nothing labelled. States are
/// copied at block boundaries and joined where control flow merges.
/// </summary>
internal sealed class State
{
    private readonly Dictionary<object, Value> _variables;
    private readonly Dictionary<HeapObject, ImmutableDictionary<Component, Value>> _heap;

    public State()
    {
        _variables = new Dictionary<object, Value>(VariableKey.Comparer);
        _heap = new Dictionary<HeapObject, ImmutableDictionary<Component, Value>>();
    }

    private State(State other)
    {
        _variables = new Dictionary<object, Value>(other._variables, VariableKey.Comparer);
        _heap = new Dictionary<HeapObject, ImmutableDictionary<Component, Value>>(other._heap);
    }

    public IEnumerable<HeapObject> Objects => _heap.Keys;

    public IEnumerable<object> Variables => _variables.Keys;

    public State Clone() => new(this);

    /// <summary>Replaces everything this state holds by what <paramref name="other"/> holds.</summary>
    public void CopyFrom(State other)
    {
        _variables.Clear();
        foreach (KeyValuePair<object, Value> entry in other._variables)
        {
            _variables[entry.Key] = entry.Value;
        }

        _heap.Clear();
        foreach (KeyValuePair<HeapObject, ImmutableDictionary<Component, Value>> entry in other._heap)
        {
            _heap[entry.Key] = entry.Value;
        }
    }

    public Value Get(object variable) => _variables.TryGetValue(variable, out Value? value) ? value : Value.Empty;

    public bool Has(object variable) => _variables.ContainsKey(variable);

    public void Set(object variable, Value value)
    {
        if (value.IsEmpty)
        {
            _variables.Remove(variable);
        }
        else
        {
            _variables[variable] = value;
        }
    }

    public void Remove(object variable) => _variables.Remove(variable);

    /// <summary>The cell's value, or null when nothing was ever written there.</summary>
    public Value? GetCell(HeapObject heapObject, Component component) =>
        _heap.TryGetValue(heapObject, out ImmutableDictionary<Component, Value>? cells) && cells.TryGetValue(component, out Value? value) ? value : null;

    public ImmutableDictionary<Component, Value> Cells(HeapObject heapObject) =>
        _heap.TryGetValue(heapObject, out ImmutableDictionary<Component, Value>? cells) ? cells : ImmutableDictionary<Component, Value>.Empty;

    /// <summary>Overwrites a cell (a strong update: the object is one concrete object).</summary>
    public void SetCell(HeapObject heapObject, Component component, Value value)
    {
        ImmutableDictionary<Component, Value> cells = Cells(heapObject);
        _heap[heapObject] = value.IsEmpty ? cells.Remove(component) : cells.SetItem(component, value);
    }

    /// <summary>Adds to a cell without removing what it held (a weak update).</summary>
    public void AddCell(HeapObject heapObject, Component component, Value value)
    {
        if (value.IsEmpty)
        {
            return;
        }

        ImmutableDictionary<Component, Value> cells = Cells(heapObject);
        Value joined = cells.TryGetValue(component, out Value? old) ? Value.Join(old, value) : value;
        if (!ReferenceEquals(joined, old))
        {
            _heap[heapObject] = cells.SetItem(component, joined);
        }
    }

    /// <summary>Applies <paramref name="map"/> to the taint of every variable and heap cell (a validation that holds from here on).</summary>
    public void MapTaints(Func<Taint, Taint?> map)
    {
        foreach (object variable in _variables.Keys.ToList())
        {
            Set(variable, _variables[variable].MapTaint(map));
        }

        foreach (HeapObject heapObject in _heap.Keys.ToList())
        {
            ImmutableDictionary<Component, Value> cells = _heap[heapObject];
            foreach (KeyValuePair<Component, Value> cell in cells)
            {
                Value mapped = cell.Value.MapTaint(map);
                if (!ReferenceEquals(mapped, cell.Value))
                {
                    cells = mapped.IsEmpty ? cells.Remove(cell.Key) : cells.SetItem(cell.Key, mapped);
                }
            }

            _heap[heapObject] = cells;
        }
    }

    /// <summary>Joins <paramref name="other"/> into this state; true when something changed.</summary>
    public bool JoinWith(State other)
    {
        bool changed = false;
        foreach (KeyValuePair<object, Value> entry in other._variables)
        {
            if (_variables.TryGetValue(entry.Key, out Value? mine))
            {
                Value joined = Value.Join(mine, entry.Value);
                if (!ReferenceEquals(joined, mine) && !Value.Same(joined, mine))
                {
                    _variables[entry.Key] = joined;
                    changed = true;
                }
            }
            else
            {
                _variables[entry.Key] = entry.Value;
                changed = true;
            }
        }

        foreach (KeyValuePair<HeapObject, ImmutableDictionary<Component, Value>> entry in other._heap)
        {
            if (!_heap.TryGetValue(entry.Key, out ImmutableDictionary<Component, Value>? mine))
            {
                _heap[entry.Key] = entry.Value;
                changed |= entry.Value.Count > 0;
                continue;
            }

            if (ReferenceEquals(mine, entry.Value))
            {
                continue;
            }

            ImmutableDictionary<Component, Value> result = mine;
            foreach (KeyValuePair<Component, Value> cell in entry.Value)
            {
                Value joined = result.TryGetValue(cell.Key, out Value? old) ? Value.Join(old, cell.Value) : cell.Value;
                if (old is null || (!ReferenceEquals(joined, old) && !Value.Same(joined, old)))
                {
                    result = result.SetItem(cell.Key, joined);
                    changed = true;
                }
            }

            _heap[entry.Key] = result;
        }

        return changed;
    }

    /// <summary>Same variables and cells with the same values.</summary>
    public bool SameAs(State other)
    {
        if (_variables.Count != other._variables.Count || _heap.Count(h => h.Value.Count > 0) != other._heap.Count(h => h.Value.Count > 0))
        {
            return false;
        }

        foreach (KeyValuePair<object, Value> entry in _variables)
        {
            if (!other._variables.TryGetValue(entry.Key, out Value? value) || !Value.Same(entry.Value, value))
            {
                return false;
            }
        }

        foreach (KeyValuePair<HeapObject, ImmutableDictionary<Component, Value>> entry in _heap)
        {
            ImmutableDictionary<Component, Value> cells = other.Cells(entry.Key);
            if (cells.Count != entry.Value.Count)
            {
                return false;
            }

            foreach (KeyValuePair<Component, Value> cell in entry.Value)
            {
                if (!cells.TryGetValue(cell.Key, out Value? value) || !Value.Same(cell.Value, value))
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>The heap reachable from <paramref name="roots"/>, without variables: what outlives a call.</summary>
    public State Reachable(IEnumerable<HeapObject> roots)
    {
        var result = new State();
        var pending = new Stack<HeapObject>(roots);
        while (pending.Count > 0)
        {
            HeapObject current = pending.Pop();
            if (result._heap.ContainsKey(current))
            {
                continue;
            }

            ImmutableDictionary<Component, Value> cells = Cells(current);
            result._heap[current] = cells;
            foreach (Value value in cells.Values)
            {
                Push(value, pending);
            }
        }

        return result;
    }

    private static void Push(Value value, Stack<HeapObject> pending)
    {
        foreach (HeapObject item in value.PointsTo.Items)
        {
            pending.Push(item);
        }

        if (value.Fields is not null)
        {
            foreach (Value field in value.Fields.Values)
            {
                Push(field, pending);
            }
        }
    }
}
