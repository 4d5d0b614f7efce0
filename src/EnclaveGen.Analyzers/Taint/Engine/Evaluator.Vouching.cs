using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace EnclaveGen.Analyzers.Taint;

/// <summary>
/// The integrity rules' sanitizers that are calls: <c>Math.Min</c>/<c>Clamp</c> (the model's
/// <c>bound</c>), throw helpers (<c>guard</c>), verifications (<c>verify host</c>) and
/// [HostDataValidator] methods. Bounds learnt from a branch are in <c>Evaluator.Integrity.cs</c>.
/// </summary>
internal sealed partial class Evaluator
{
    /// <summary><c>Math.Min(count, Limit)</c>: bounded when some input is not an unbounded host or caller number.</summary>
    private static Taint? Bound(Call call, Taint? taint)
    {
        bool anyLimit = call.Arguments.Any(a => UnboundedSize(a.Taint) is null);
        return anyLimit ? taint?.Mark(Sized, TaintFlags.Bounded) : taint;
    }

    // The key a verification checks with is the enclave's: the receiver is not host-controlled, or (a static
    // check such as FixedTimeEquals) some other input is the enclave's own (a MAC under a secret key, a constant).
    private bool IsAnchored(Call call)
    {
        if (!call.Method.IsStatic)
        {
            return HostDecides(DeepTaint(call.Receiver, View.Full)) is null;
        }

        for (int i = 0; i < call.Arguments.Length; i++)
        {
            Taint? taint = DeepTaint(call.Arguments[i], View.Full);
            if (taint is null || taint.Entries.Any(e => (e.Origin.Label & Label.Secret) != 0))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// A verification: the host origins it vouches for, or null. Its own result is the enclave's
    /// answer (the host can make it fail, not succeed). A check returning a bool vouches on its true
    /// edge (recorded here for the branch that tests it); any other vouches once it returned (it
    /// throws on failure), which the caller applies after the call's effects (<see cref="Trust"/>).
    /// </summary>
    private HashSet<Origin>? Verify(Call call, Taint? checkedData, bool anchored)
    {
        if (!anchored || checkedData is null)
        {
            return null;
        }

        var origins = new HashSet<Origin>(checkedData.Entries.Where(e => (e.Origin.Label & Label.HostControlled) != 0).Select(e => e.Origin));
        if (origins.Count == 0)
        {
            return null;
        }

        if (call.Method.ReturnType.SpecialType == SpecialType.System_Boolean)
        {
            (_verifications ??= new())[call.Syntax] = origins;
        }

        return origins;
    }

    private static bool VouchesOnReturn(IMethodSymbol method) => method.ReturnType.SpecialType != SpecialType.System_Boolean;

    /// <summary>Host data a check vouched for is trusted from here on, wherever it went.</summary>
    private void Trust(HashSet<Origin>? origins)
    {
        if (origins is not null)
        {
            _state.MapTaints(t => t.WithoutOrigins(origins));
        }
    }

    /// <summary>
    /// A call of a [HostDataValidator] method: one returning bool validates its arguments where it
    /// returned true; any other validates them (and so what it made of them) once it returned.
    /// </summary>
    private Value Validated(Call call, Value result)
    {
        if (!_symbols.IsHostDataValidator(call.Method))
        {
            return result;
        }

        Taint? arguments = call.Arguments.Aggregate((Taint?)null, (t, a) => Taint.Join(t, DeepTaint(a, View.Full)));
        return Vouched(call, result, Verify(call, arguments, anchored: true));
    }

    /// <summary>The result of a verification, without the host origins it vouched for; a check that throws on failure vouches from here on.</summary>
    private Value Vouched(Call call, Value result, HashSet<Origin>? origins)
    {
        if (origins is null)
        {
            return result;
        }

        if (VouchesOnReturn(call.Method))
        {
            Trust(origins);
        }

        return result.MapTaint(t => t.WithoutOrigins(origins));
    }

    /// <summary>
    /// A throw helper that bounds its first argument (<c>ArgumentOutOfRangeException.ThrowIfGreaterThan(count, Limit)</c>,
    /// the model's <c>guard</c>): after it returns, that variable is bounded, when the limit is the enclave's.
    /// </summary>
    private void AfterGuard(IInvocationOperation invocation)
    {
        if (invocation.Arguments.Length < 2 || _context.FindModel(invocation.TargetMethod) is not { } model || !model.Effects.Any(e => e.Kind == EffectKind.Guard))
        {
            return;
        }

        IOperation bounded = invocation.Arguments.First(a => a.Parameter?.Ordinal == 0).Value;
        if (IsVariableLike(bounded) && invocation.Arguments.Where(a => a.Parameter?.Ordinal != 0).All(a => IsLimit(a.Value)))
        {
            MarkBounded(_state, bounded);
        }
    }
}
