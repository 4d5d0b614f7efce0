using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Operations;

namespace EnclaveGen.Analyzers.Taint;

/// <summary>
/// Where labelled data leaves: OCALL arguments, what an ECALL hands back, static state, host
/// memory, thrown exceptions and logs (the model's sinks), and where a sink reached inside a
/// called method is reported.
/// </summary>
internal sealed partial class Evaluator
{
    /// <summary>
    /// Records a finding. A sink reached inside a called method is reported in the entry point, at
    /// the call that carried the secret there (the argument, the receiver, or the call itself for
    /// a branch on a secret around it), with the real sink as an additional location; a secret
    /// the called method found by itself is left to that method's own analysis when it is an
    /// entry point too.
    /// </summary>
    private void AddFinding(FindingKind kind, Location location, string sinkName, Taint taint)
    {
        if (_run.Stack.Count == 0)
        {
            _run.Findings.Add(kind, location, sinkName, taint, null, null);
            return;
        }

        CallSite site = _run.Stack[0];
        Location? at = null;
        foreach ((SyntaxNode syntax, Taint? carried) in site.Arguments)
        {
            if (Shares(carried, taint))
            {
                at = syntax.GetLocation();
                break;
            }
        }

        if (at is null && site.Receiver is { } receiver && Shares(receiver.Taint, taint))
        {
            at = receiver.Syntax.GetLocation();
        }

        if (at is null && Shares(site.ImplicitTaint, taint))
        {
            at = site.Syntax.GetLocation();
        }

        if (at is null)
        {
            if (_run.Enclave.IsEntryPoint(site.Target))
            {
                return;
            }

            at = site.Syntax.GetLocation();
        }

        _run.Findings.Add(kind, at, sinkName, taint, location, site.Target.Name);
    }

    private static bool Shares(Taint? carried, Taint finding) =>
        carried is not null && finding.Entries.Any(e => carried.Contains(e.Origin));

    // ------------------------------------------------------------ OCALLs

    /// <summary>An OCALL: what it is passed leaves the enclave; what it returns (or writes back) the host chose.</summary>
    private Value Ocall(Call call)
    {
        IMethodSymbol method = call.Method;
        for (int i = 0; i < call.Arguments.Length; i++)
        {
            if (method.Parameters[i].RefKind == RefKind.Out)
            {
                continue;
            }

            if (call.ParamsElements is { } lists && lists.TryGetValue(i, out var elements))
            {
                foreach ((SyntaxNode syntax, Value element) in elements)
                {
                    if (Sinkable(DeepTaint(element, View.Crossing)) is { } elementTaint)
                    {
                        AddFinding(FindingKind.Ocall, syntax.GetLocation(), method.Name, elementTaint);
                    }
                }
            }
            else if (Sinkable(DeepTaint(call.Arguments[i], View.Crossing)) is { } taint)
            {
                AddFinding(FindingKind.Ocall, (call.ArgumentSyntax[i] ?? call.Syntax).GetLocation(), method.Name, taint);
            }
        }

        if (Sinkable(_pcSink) is { } implicitTaint)
        {
            AddFinding(FindingKind.Ocall, call.Syntax.GetLocation(), method.Name, implicitTaint);
        }

        // The integrity label: everything the host hands back, with what kind of data it is.
        Location at = call.Syntax.GetLocation();
        for (int i = 0; i < call.Arguments.Length; i++)
        {
            IParameterSymbol parameter = method.Parameters[i];
            Taint back = Taint.Of(_run.HostOrigin(new Origin(Label.HostControlled, method.Name, at, HostData.KindOf(parameter.Type, method.Name))));
            if (parameter.RefKind is RefKind.Out or RefKind.Ref && !call.ArgumentPlaces[i].IsDefaultOrEmpty)
            {
                Write(call.ArgumentPlaces[i], Value.Of(back), at);
            }
            else if (_symbols.IsOutBuffer(parameter))
            {
                AddToComponent(call.Arguments[i], Component.Content, Value.Of(back), at);
            }
        }

        if (method.ReturnsVoid)
        {
            return Value.Empty;
        }

        Taint host = Taint.Of(_run.HostOrigin(new Origin(Label.HostControlled, method.Name, at, HostData.KindOf(method.ReturnType, method.Name))));

        if (IsScalar(method.ReturnType))
        {
            return Value.Of(host);
        }

        HeapObject returned = _run.Enclave.Allocate(ObjectKind.External, call.Syntax, _callSyntax, method.ReturnType, _blockInCycle || _parentInLoop, _run.RunId);
        _state.AddCell(returned, Component.Content, Value.Of(host));

        // The size of what came back is only a size: the boundary copied exactly that much in.
        _state.AddCell(returned, Component.Shape, Value.Of(host.WithFlags(TaintFlags.LengthOnly)));
        // The host's data is what the object holds, not which object it is: reading a member the
        // enclave checked (a header's length) must see that member's bound, not the whole reply's label.
        return Value.To(returned);
    }

    // ------------------------------------------------------------ returns, yields, throws

    private void OnReturn(IOperation returned, Value value)
    {
        Returned = Value.Join(Returned, value.AddTaint(_pcAssign));
        if (IsEcallBody && Sinkable(Taint.Join(DeepTaint(value, View.Crossing), _pcSink)) is { } leaked)
        {
            AddFinding(FindingKind.EcallResult, returned.Syntax.GetLocation(), "the return value", leaked);
        }
    }

    private void OnYield(IReturnOperation yield)
    {
        Value value = Eval(yield.ReturnedValue);
        Yields = true;
        Returned = Value.Join(Returned, value.AddTaint(_pcAssign));
        if (IsEcallBody && yield.ReturnedValue is { } returned && Sinkable(Taint.Join(DeepTaint(value, View.Crossing), _pcSink)) is { } leaked)
        {
            AddFinding(FindingKind.EcallResult, returned.Syntax.GetLocation(), "the return value", leaked);
        }
    }

    private void OnThrow(IOperation thrown, Value value)
    {
        // The compiler's own throw at the end of a switch expression with no match is not code the user wrote.
        if (thrown.IsImplicit && thrown.Syntax is Microsoft.CodeAnalysis.CSharp.Syntax.SwitchExpressionSyntax)
        {
            return;
        }

        // The type of the exception itself, not of the compiler's conversion to Exception.
        ITypeSymbol? type = (thrown is IConversionOperation { IsImplicit: true } conversion ? conversion.Operand : thrown).Type;
        if (IsAuthorizationFailure(type))
        {
            CheckHostDecidedRelease(thrown.Syntax.GetLocation(), "This authorization failure");
        }

        ThrowValue(thrown.Syntax, type, value);
    }

    /// <summary>After an ECALL's body: what its out and ref parameters and [Out] buffers carry back to the host.</summary>
    public void CheckOutputParameters(State exit)
    {
        foreach (IParameterSymbol parameter in _method.Parameters)
        {
            string? kind = parameter.RefKind switch
            {
                RefKind.Out => "out parameter",
                RefKind.Ref => "ref parameter",
                _ when _symbols.IsOutBuffer(parameter) => "[Out] buffer",
                _ => null,
            };

            if (kind is null)
            {
                continue;
            }

            _state = exit;
            Value value = exit.Get(parameter);
            Value carried = kind == "[Out] buffer" ? ReadComponent(value, Component.Content) : value;
            Taint? taint = DeepTaint(carried, View.Crossing);
            if (_symbols.IsSecret(parameter))
            {
                taint = taint?.Where(Label.Secret | Label.HostControlled, _ => true) is { } all && _context.SecretOrigin(parameter) is { } own
                    ? Without(all, own)
                    : taint;
            }

            if (Sinkable(taint) is { } leaked)
            {
                // Where this method assigned it; a write made by another ECALL (a field it stored) is not a place in this one.
                Location location = InBody(leaked.AssignedAt) ?? InBody(taint?.AssignedAt) ?? parameter.Locations[0];
                AddFinding(FindingKind.EcallResult, location, kind + " '" + parameter.Name + "'", leaked);
            }
        }
    }

    private Location? InBody(Location? location) =>
        location is not null && _context.IsInDeclaration(_method, location) ? location : null;

    private static Taint? Without(Taint taint, Taint own)
    {
        Taint? result = null;
        foreach ((Origin origin, TaintFlags flags) in taint.Entries)
        {
            if (!own.Contains(origin))
            {
                result = Taint.Join(result, Taint.Of(origin, flags));
            }
        }

        return result is null ? null : taint.AssignedAt is { } at ? result.At(at) : result;
    }

    // ------------------------------------------------------------ static state and host memory

    /// <summary>A write into the heap: into static state (EG3003) or into host memory handed in with [UnsafeUserCheck] (EG3002).</summary>
    private void OnHeapWrite(HeapObject heapObject, Component component, Value value, Location at)
    {
        CheckStateWrite(heapObject, component, value, at);

        if (heapObject.Kind == ObjectKind.Statics)
        {
            string name = (component.Symbol is IPropertySymbol ? "property" : "field") + "\u0001" + component;
            foreach (HeapObject held in value.PointsTo.Items)
            {
                held.StaticHolder ??= name;
            }

            if (Sinkable(DeepTaint(value, View.Full)) is { } stored)
            {
                AddFinding(FindingKind.StaticState, at, name, stored);
            }
        }
        else if (heapObject.StaticHolder is { } holder && Sinkable(DeepTaint(value, View.Full)) is { } stored)
        {
            AddFinding(FindingKind.StaticState, at, holder, stored);
        }

        if (heapObject.HostMemoryName is { } buffer && Sinkable(DeepTaint(value, View.Full)) is { } written)
        {
            AddFinding(FindingKind.EcallResult, at, "[UnsafeUserCheck] buffer '" + buffer + "'", written);
        }
    }
}
