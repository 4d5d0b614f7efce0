using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace EnclaveGen.Analyzers.Taint;

/// <summary>How a model's paths read and write the values of one library call.</summary>
internal sealed partial class Evaluator
{
    /// <summary>
    /// The effects of one library call as they are applied: reads of its receiver and arguments,
    /// and writes into its result (a fresh object of the call site when the result is not a
    /// plain value), its receiver, its arguments' objects and its ref and out arguments.
    /// </summary>
    private sealed class Outcome
    {
        private readonly Evaluator _evaluator;
        private readonly Call _call;
        private readonly Dictionary<int, Value> _outArguments = new();
        private Value _result = Value.Empty;
        private HeapObject? _fresh;

        public Outcome(Evaluator evaluator, Call call)
        {
            _evaluator = evaluator;
            _call = call;
        }

        private ITypeSymbol ResultType => _call.Method.MethodKind == MethodKind.Constructor ? _call.Method.ContainingType : _call.Method.ReturnType;

        public Value ReadValue(ModelPath path)
        {
            Value root = Root(path);
            return path.Part switch
            {
                ModelPart.Content => _evaluator.ReadComponent(root, Component.Content),
                ModelPart.Key => _evaluator.ReadComponent(root, Component.Key),
                ModelPart.Shape => _evaluator.ReadComponent(root, Component.Shape),
                ModelPart.String => Value.Of(_evaluator.TextOf(root, TypeOf(path))),
                _ => root,
            };
        }

        public Taint? ReadTaint(ModelPath path, View view = View.Full)
        {
            if (path.Part == ModelPart.String || view == View.Text)
            {
                return _evaluator.TextOf(Root(path), TypeOf(path));
            }

            Value value = ReadValue(path);
            return path.Part == ModelPart.Shape ? value.Taint : _evaluator.DeepTaint(value, view);
        }

        public Location LocationOf(ModelPath path) =>
            (path.Root == ModelRoot.Argument && path.Index < _call.ArgumentSyntax.Length ? _call.ArgumentSyntax[path.Index] : null)?.GetLocation()
            ?? (path.Root == ModelRoot.ArgumentsFrom ? _call.ArgumentSyntax.Skip(path.Index).FirstOrDefault(s => s is not null)?.GetLocation() : null)
            ?? (path.Root == ModelRoot.Receiver ? _call.ReceiverOperation?.Syntax.GetLocation() : null)
            ?? _call.Syntax.GetLocation();

        /// <summary>Labels reach a path: a plain value takes them, an object takes them as its content.</summary>
        public void AddTaint(ModelPath path, Taint? taint, Taint? shape = null, bool shapeFromInputs = false)
        {
            if (taint is null)
            {
                return;
            }

            if (path.Root == ModelRoot.ReturnValue && path.Part == ModelPart.Whole)
            {
                if (IsScalar(ResultType))
                {
                    _result = _result.AddTaint(taint);
                }
                else
                {
                    // Computed from the inputs: a new object holding their data, as long as they were.
                    HeapObject fresh = Fresh();
                    _evaluator._state.AddCell(fresh, Component.Content, Value.Of(taint));
                    if (!shapeFromInputs)
                    {
                        _evaluator._state.AddCell(fresh, Component.Shape, Value.Of(shape ?? taint.WithFlags(TaintFlags.LengthOnly)));
                    }
                }

                return;
            }

            AddValue(path, Value.Of(taint), isTaint: true);
        }

        public void AddValue(ModelPath path, Value value, bool isTaint = false)
        {
            if (value.IsEmpty)
            {
                return;
            }

            if (path.Root == ModelRoot.ArgumentsFrom)
            {
                for (int i = path.Index; i < _call.Arguments.Length; i++)
                {
                    AddValue(path with { Root = ModelRoot.Argument, Index = i }, value, isTaint);
                }

                return;
            }

            Component? component = path.Part switch
            {
                ModelPart.Content => Component.Content,
                ModelPart.Key => Component.Key,
                ModelPart.Shape => Component.Shape,
                _ => null,
            };

            switch (path.Root)
            {
                case ModelRoot.ReturnValue when component is null:
                    _result = Value.Join(_result, value);
                    break;
                case ModelRoot.ReturnValue:
                    _evaluator._state.AddCell(Fresh(), component.Value, value);
                    break;
                case ModelRoot.Receiver:
                    AddTo(_call.Receiver, _call.ReceiverPlaces, component, value, isTaint);
                    break;
                case ModelRoot.Argument when path.Index < _call.Arguments.Length:
                    if (component is null && IsByReference(path.Index))
                    {
                        _outArguments[path.Index] = _outArguments.TryGetValue(path.Index, out Value? earlier) ? Value.Join(earlier, value) : value;
                    }
                    else
                    {
                        AddTo(_call.Arguments[path.Index], _call.ArgumentPlaces[path.Index], component, value, isTaint);
                    }

                    break;
            }
        }

        public void Kill(ModelPath path)
        {
            Component component = path.Part switch
            {
                ModelPart.Key => Component.Key,
                ModelPart.Shape => Component.Shape,
                _ => Component.Content,
            };

            Value target = path.Root == ModelRoot.Receiver ? _call.Receiver : path.Index < _call.Arguments.Length ? _call.Arguments[path.Index] : Value.Empty;
            if (path.Root == ModelRoot.Argument && path.Part == ModelPart.Whole && IsByReference(path.Index))
            {
                _outArguments[path.Index] = Value.Empty;
                return;
            }

            // Clearing reaches one concrete object only; clearing one of many objects kills nothing.
            if (target.PointsTo.Count == 1 && _evaluator.IsSingle(target.PointsTo.Items[0]))
            {
                _evaluator._state.SetCell(target.PointsTo.Items[0], component, Value.Empty);
            }
        }

        public Value Finish()
        {
            foreach (KeyValuePair<int, Value> argument in _outArguments)
            {
                if (!_call.ArgumentPlaces[argument.Key].IsDefaultOrEmpty)
                {
                    _evaluator.Write(_call.ArgumentPlaces[argument.Key], argument.Value, _call.Syntax.GetLocation());
                }
            }

            // An out argument the model does not mention is set to something public.
            for (int i = 0; i < _call.Method.Parameters.Length && i < _call.ArgumentPlaces.Length; i++)
            {
                if (_call.Method.Parameters[i].RefKind == RefKind.Out && !_outArguments.ContainsKey(i) && !_call.ArgumentPlaces[i].IsDefaultOrEmpty)
                {
                    _evaluator.Write(_call.ArgumentPlaces[i], Value.Empty, _call.Syntax.GetLocation());
                }
            }

            // A result that is an object is one, even when nothing secret went into it: what the caller
            // writes into it later (a rented buffer, a list made from public data) must have a place to go.
            if (_fresh is null && _result.PointsTo.IsEmpty && !_call.Method.ReturnsVoid
                && _call.Method.MethodKind != MethodKind.Constructor && !IsScalar(_call.Method.ReturnType))
            {
                Fresh();
            }

            return _fresh is null ? _result : Value.Join(_result, Value.To(_fresh));
        }

        private HeapObject Fresh() =>
            _fresh ??= _evaluator._run.Enclave.Allocate(ObjectKind.External, _call.Syntax, _evaluator._callSyntax, ResultType, _evaluator._blockInCycle || _evaluator._parentInLoop, _evaluator._run.RunId);

        private bool IsByReference(int index) =>
            index < _call.Method.Parameters.Length && _call.Method.Parameters[index].RefKind is RefKind.Ref or RefKind.Out;

        private Value Root(ModelPath path) => path.Root switch
        {
            ModelRoot.Receiver => _call.Receiver,
            ModelRoot.ReturnValue => _fresh is null ? _result : Value.Join(_result, Value.To(_fresh)),
            ModelRoot.Argument => path.Index < _call.Arguments.Length ? _call.Arguments[path.Index] : Value.Empty,
            _ => _call.Arguments.Skip(path.Index).Aggregate(Value.Empty, Value.Join),
        };

        private ITypeSymbol? TypeOf(ModelPath path) => path.Root switch
        {
            ModelRoot.Receiver => _call.Method.ContainingType,
            ModelRoot.Argument when path.Index < _call.Method.Parameters.Length => _call.Method.Parameters[path.Index].Type,
            _ => null,
        };

        // Into an object's component, or, for a struct held in a variable, into that variable.
        private void AddTo(Value target, ImmutableArray<Place> places, Component? component, Value value, bool isTaint)
        {
            if (!target.PointsTo.IsEmpty)
            {
                _evaluator.AddToComponent(target, component ?? Component.Content, value, _call.Syntax.GetLocation());
                return;
            }

            if (places.IsDefaultOrEmpty)
            {
                return;
            }

            foreach (Place place in places)
            {
                Value current = _evaluator.Read(place);
                Value updated = component is { } c ? current.WithField(c, Value.Join(current.Field(c), value)) : isTaint ? current.AddTaint(value.Taint) : Value.Join(current, value);
                _evaluator.Write(place, updated, _call.Syntax.GetLocation(), strong: places.Length == 1);
            }
        }
    }
}
