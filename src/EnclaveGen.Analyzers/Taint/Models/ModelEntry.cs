using System.Collections.Immutable;

namespace EnclaveGen.Analyzers.Taint;

/// <summary>Which value of a call a model path starts from.</summary>
internal enum ModelRoot
{
    Receiver,
    ReturnValue,

    /// <summary>One argument, by parameter position (extension methods count their <c>this</c> as 0).</summary>
    Argument,

    /// <summary>Every argument from <see cref="ModelPath.Index"/> on (<c>Argument[*]</c> is from 0).</summary>
    ArgumentsFrom,
}

/// <summary>How a path reads or writes its root: the value itself, one component, or its text.</summary>
internal enum ModelPart
{
    /// <summary>The whole value (for a taint flow, everything it holds).</summary>
    Whole,
    Content,
    Key,
    Shape,

    /// <summary>The text <c>ToString</c> makes of it (formatting and logging APIs), read only.</summary>
    String,
}

/// <summary>A value at a call: <c>Receiver</c>, <c>ReturnValue</c>, <c>Argument[1]</c>, <c>Argument[*].String</c>, <c>Receiver.Content</c>.</summary>
internal sealed record ModelPath(ModelRoot Root, int Index, ModelPart Part)
{
    public override string ToString()
    {
        string root = Root switch
        {
            ModelRoot.Argument => "Argument[" + Index + "]",
            ModelRoot.ArgumentsFrom => Index == 0 ? "Argument[*]" : "Argument[" + Index + "..]",
            _ => Root.ToString(),
        };
        return Part == ModelPart.Whole ? root : root + "." + Part;
    }
}

/// <summary>What one effect of a library member does.</summary>
internal enum EffectKind
{
    /// <summary><c>A -&gt; B</c>: the labels of everything in A reach B (B is computed from A).</summary>
    Taint,

    /// <summary><c>A =&gt; B</c>: B is A itself (the same objects: a view, an element, a fluent <c>this</c>).</summary>
    Value,

    /// <summary><c>kill B</c>: B is cleared (zeroed memory, an emptied builder).</summary>
    Kill,

    /// <summary><c>source secret B</c> / <c>source host B</c>: B holds labelled data.</summary>
    Source,

    /// <summary><c>sink log A</c> / <c>sink exception A</c>: A leaves the enclave.</summary>
    Sink,

    /// <summary><c>release secret A =&gt; B</c>: B is A, released on purpose (<c>Secrets.Declassify</c>).</summary>
    Release,

    /// <summary><c>sanitize secret A -&gt; B</c>: B is computed from A and no longer carries the label (encryption for an entitled party).</summary>
    Sanitize,

    /// <summary>
    /// <c>tag secret A -&gt; B</c>: B is a MAC made with key A, which it does not give away: A's labels
    /// reach B released (no leak rule reports them), so the integrity rules still see a tag made
    /// under the enclave's own key when a host's tag is compared with it.
    /// </summary>
    Tag,

    /// <summary><c>index A</c>: A selects the memory that is read (a secret there is EG4003).</summary>
    Index,

    /// <summary><c>compare A</c>: A is compared with an early exit (a secret there is EG4002).</summary>
    Compare,

    /// <summary><c>invoke D(A, ...) =&gt; B</c>: the delegate D is called with A, ...; what it returns goes to B.</summary>
    Invoke,

    /// <summary><c>none</c>: the member does nothing the analysis follows (not even the default rule).</summary>
    None,

    /// <summary>
    /// <c>bound A -&gt; B</c>: B is computed from A, and its host-controlled numbers are bounded when
    /// another input is not host-controlled (<c>Math.Min(count, Limit)</c>; EG6002).
    /// </summary>
    Bound,

    /// <summary>
    /// <c>verify host A</c>: when the member succeeds (returns <see langword="true"/>, or returns at
    /// all when it throws on failure), the host data in A is authentic, provided the key it checks
    /// with (the receiver, or another input) is not the host's.
    /// </summary>
    Verify,

    /// <summary>
    /// <c>guard A</c>: a throw helper that returns only when A is within the bound its other
    /// arguments give (<c>ArgumentOutOfRangeException.ThrowIfGreaterThan</c>); the variable passed as A is bounded after it.
    /// </summary>
    Guard,
}

/// <summary>One effect of a model entry.</summary>
internal sealed record ModelEffect(
    EffectKind Kind,
    ModelPath? From,
    ModelPath? To,
    Label Label = Label.None,
    string? SinkKind = null,
    ImmutableArray<ModelPath> InvokeArguments = default);

/// <summary>
/// The behaviour of one library member (or every overload with a name), from the models file
/// shipped with the analyzer or from a user's <c>EnclaveGen.Models.txt</c> additional file.
/// Format and meaning: docs/diagnostics/taint-analysis.md.
/// </summary>
internal sealed record ModelEntry(
    string TypeName,
    string MemberName,
    ImmutableArray<string>? ParameterTypes,
    ImmutableArray<ModelEffect> Effects,
    string File,
    int Line)
{
    public string Display => TypeName + "." + MemberName + (ParameterTypes is { } types ? "(" + string.Join(", ", types) + ")" : "(*)");
}
