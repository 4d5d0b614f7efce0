using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace EnclaveGen.Analyzers.Taint;

/// <summary>
/// Calls into other assemblies: the member's model from the models file, or the default rule.
/// The default rule, for a member without a model: the result is computed from every input
/// (receiver and arguments, with everything they hold); the receiver takes the arguments'
/// labels (<c>sb.Append(secret)</c>); ref and out arguments take every input's labels; arrays
/// passed in are not assumed written (a public nonce next to a secret stays public) unless the
/// model says so; delegates passed in are called with the elements of the other inputs.
/// </summary>
internal sealed partial class Evaluator
{
    private Value Library(Call call)
    {
        if (_context.FindModel(call.Method) is { } entry)
        {
            return ApplyModel(entry, call);
        }

        return DefaultRule(call);
    }

    private Value ApplyModel(ModelEntry entry, Call call)
    {
        var outcome = new Outcome(this, call);
        Taint? compared = null;
        HashSet<Origin>? trusted = null;
        foreach (ModelEffect effect in entry.Effects)
        {
            switch (effect.Kind)
            {
                case EffectKind.Taint:
                    outcome.AddTaint(effect.To!, outcome.ReadTaint(effect.From!));
                    break;
                case EffectKind.Value:
                    outcome.AddValue(effect.To!, outcome.ReadValue(effect.From!));
                    break;
                case EffectKind.Kill:
                    outcome.Kill(effect.To!);
                    break;
                case EffectKind.Source:
                    // The data is labelled, not its size (a sealed blob's length shows the plaintext's).
                    // A host source is located at the call, so a finding can point at where the host's value came in.
                    outcome.AddTaint(
                        effect.To!,
                        Taint.Of(new Origin(effect.Label, SourceName(call.Method), effect.Label == Label.HostControlled ? call.Syntax.GetLocation() : null, effect.SinkKind == "time" ? HostDataKind.Time : HostDataKind.Value)),
                        shapeFromInputs: true);
                    break;
                case EffectKind.Sanitize:
                    outcome.AddTaint(effect.To!, outcome.ReadTaint(effect.From!)?.Without(effect.Label));
                    break;
                case EffectKind.Tag:
                    outcome.AddTaint(effect.To!, outcome.ReadTaint(effect.From!)?.Release(effect.Label));
                    break;
                case EffectKind.Release:
                    CheckHostDecidedRelease(call.Syntax.GetLocation(), "This release of a secret");
                    outcome.AddValue(effect.To!, Released(outcome.ReadValue(effect.From!), effect.Label, call.Syntax));
                    break;
                case EffectKind.Sink when effect.Label == Label.HostControlled:
                    IntegritySink(call, effect, outcome);
                    break;
                case EffectKind.Sink:
                    SinkArguments(call, effect.From!, effect.SinkKind == "log" ? FindingKind.Log : FindingKind.Exception, outcome);
                    break;
                case EffectKind.Bound:
                    outcome.AddTaint(effect.To!, Bound(call, outcome.ReadTaint(effect.From!)));
                    break;
                case EffectKind.Guard:
                    // Applied by the caller, which knows the variable passed (AfterGuard).
                    break;
                case EffectKind.Verify:
                    trusted = Verify(call, outcome.ReadTaint(effect.From!, View.Full), anchored: IsAnchored(call));
                    break;
                case EffectKind.Index:
                    if (Sinkable(outcome.ReadTaint(effect.From!))?.Where(Label.Secret, f => (f & TaintFlags.Implicit) == 0) is { } index)
                    {
                        AddFinding(FindingKind.Index, outcome.LocationOf(effect.From!), "index", index);
                    }

                    break;
                case EffectKind.Compare:
                    compared = Taint.Join(compared, outcome.ReadTaint(effect.From!));
                    break;
                case EffectKind.Invoke:
                    {
                        Value[] arguments = effect.InvokeArguments.Select(outcome.ReadValue).ToArray();
                        Value returned = CallDelegateValue(outcome.ReadValue(effect.From!), arguments, call.Syntax);
                        if (effect.To is { } to)
                        {
                            outcome.AddValue(to, returned);
                        }

                        break;
                    }
            }
        }

        if (Sinkable(compared) is { } comparison)
        {
            AddFinding(FindingKind.Comparison, call.Syntax.GetLocation(), call.Method.Name, comparison);
        }

        return Vouched(call, outcome.Finish(), trusted);
    }

    private Value DefaultRule(Call call)
    {
        IMethodSymbol method = call.Method;
        Taint? fromArguments = null;
        Value elements = Value.Empty;
        var delegates = new List<Value>();
        for (int i = 0; i < call.Arguments.Length; i++)
        {
            Value argument = call.Arguments[i];
            if (argument.PointsTo.Items.Any(o => o.Delegate is not null))
            {
                delegates.Add(argument);
                continue;
            }

            fromArguments = Taint.Join(fromArguments, DeepTaint(argument, View.Full));
            elements = Value.Join(elements, ReadComponent(argument, Component.Content));
        }

        Taint? inputs = Taint.Join(DeepTaint(call.Receiver, View.Full), fromArguments);

        // A result's size follows the sizes of the inputs (and the numbers passed), not their content.
        Taint? shape = ShapeOf(call.Receiver);
        foreach (Value argument in call.Arguments)
        {
            shape = Taint.Join(shape, ShapeOf(argument));
        }

        elements = Value.Join(elements, ReadComponent(call.Receiver, Component.Content));

        // A delegate handed to a library member is called with the elements of the other inputs.
        Value returned = Value.Empty;
        foreach (Value @delegate in delegates)
        {
            int count = @delegate.PointsTo.Items.Select(o => o.Delegate?.Method.Parameters.Length ?? 0).DefaultIfEmpty(0).Max();
            Value element = elements.AddTaint(inputs);
            returned = Value.Join(returned, CallDelegateValue(@delegate, Enumerable.Repeat(element, count).ToArray(), call.Syntax));
        }

        // An ECALL's number configures a library object, it does not make the object's data a size
        // claim (EG6002 reads it as a number only): objects do not take the caller-supplied label.
        Taint? intoObject = fromArguments?.Without(Label.CallerSupplied);
        var outcome = new Outcome(this, call);
        if (!method.IsStatic && intoObject is not null && method.MethodKind != MethodKind.Constructor)
        {
            outcome.AddTaint(new ModelPath(ModelRoot.Receiver, 0, ModelPart.Whole), intoObject);
        }
        else if (method.MethodKind == MethodKind.Constructor)
        {
            outcome.AddTaint(new ModelPath(ModelRoot.Receiver, 0, ModelPart.Whole), intoObject);
            outcome.AddValue(new ModelPath(ModelRoot.Receiver, 0, ModelPart.Content), Value.Of(null, elements.PointsTo));
        }

        for (int i = 0; i < method.Parameters.Length && i < call.Arguments.Length; i++)
        {
            if (method.Parameters[i].RefKind is RefKind.Ref or RefKind.Out)
            {
                outcome.AddTaint(new ModelPath(ModelRoot.Argument, i, ModelPart.Whole), inputs);
            }
        }

        if (!method.ReturnsVoid)
        {
            ModelPath result = new(ModelRoot.ReturnValue, 0, ModelPart.Whole);
            Taint? resultTaint = IsLengthOnly(method) ? inputs?.WithFlags(TaintFlags.LengthOnly) : inputs;
            if (!IsScalar(method.ReturnType))
            {
                resultTaint = resultTaint?.Without(Label.CallerSupplied);
            }

            outcome.AddTaint(result, Taint.Join(resultTaint, DeepTaint(returned, View.Full)), shape);
            if (!IsScalar(method.ReturnType))
            {
                outcome.AddValue(new ModelPath(ModelRoot.ReturnValue, 0, ModelPart.Content), Value.Of(null, elements.PointsTo.Union(returned.PointsTo)));
            }
        }

        return outcome.Finish();
    }

    private Taint? ShapeOf(Value value) =>
        value.PointsTo.IsEmpty && value.Fields is null ? value.Taint?.WithFlags(TaintFlags.LengthOnly) : ReadComponent(value, Component.Shape).Taint;

    // Members whose result is only the size of their input.
    private static bool IsLengthOnly(IMethodSymbol method) =>
        (method.AssociatedSymbol?.Name ?? method.Name) is "Length" or "LongLength" or "Count" or "LongCount" or "IsEmpty" or "Capacity";

    /// <summary>Types whose values the analysis keeps as labels only: numbers, text, enums and the like.</summary>
    internal static bool IsScalar(ITypeSymbol? type) =>
        type is null
        || type.SpecialType is not (SpecialType.None or SpecialType.System_Object or SpecialType.System_Array or SpecialType.System_Collections_Generic_IEnumerable_T)
        || type.TypeKind is TypeKind.Enum or TypeKind.Pointer or TypeKind.FunctionPointer;

    private static string SourceName(IMethodSymbol method) =>
        method.AssociatedSymbol?.Name ?? (method.MethodKind == MethodKind.Constructor ? method.ContainingType.Name : method.Name);

    private void SinkArguments(Call call, ModelPath path, FindingKind kind, Outcome outcome)
    {
        string name = call.Method.ContainingType.Name + "." + call.Method.Name;

        // A throw helper inside a try whose catch takes its exception: the message stays inside.
        if (kind == FindingKind.Exception && RouteThrown(call.Syntax, call.Method.ContainingType, Value.Empty) is not null)
        {
            return;
        }

        if (path.Root == ModelRoot.ArgumentsFrom)
        {
            // Each argument where it is written.
            for (int i = path.Index; i < call.Arguments.Length; i++)
            {
                SinkArguments(call, path with { Root = ModelRoot.Argument, Index = i }, kind, outcome);
            }

            return;
        }

        if (path.Root == ModelRoot.Argument && call.ParamsElements is { } lists && lists.TryGetValue(path.Index, out var elements))
        {
            foreach ((SyntaxNode syntax, Value element) in elements)
            {
                if (Sinkable(TextOf(element, null)) is { } elementTaint)
                {
                    AddFinding(kind, syntax.GetLocation(), name, elementTaint);
                }
            }
        }
        else if (Sinkable(outcome.ReadTaint(path, View.Text)) is { } taint)
        {
            AddFinding(kind, outcome.LocationOf(path), name, taint);
        }

        if (Sinkable(_pcSink) is { } implicitTaint)
        {
            AddFinding(kind, call.Syntax.GetLocation(), name, implicitTaint);
        }
    }
}
