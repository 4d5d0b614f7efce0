using EnclaveGen.Shared.Marshalling;

namespace EnclaveGen.Generators.Model;

/// <summary>One parameter of a boundary method.</summary>
/// <param name="Name">The name, spelled as C# source needs it.</param>
/// <param name="Type">Its type.</param>
/// <param name="Direction">Its C# modifier.</param>
/// <param name="Buffer">[Out] or [In, Out] on an array, span or Memory the callee fills.</param>
/// <param name="IsParams">Declared with <c>params</c>.</param>
/// <param name="DefaultValue">The explicit default value as C# source, or null.</param>
/// <param name="IsUserCheck">Passed without copying ([UnsafeUserCheck], EDL user_check): the callee gets the caller's array itself.</param>
/// <param name="IsSecret">Declared [Secret]; only the boundary manifest shows it (the analyzers enforce it).</param>
internal sealed record ParameterModel(string Name, TypeModel Type, ParameterDirection Direction, BufferDirection Buffer, bool IsParams, string? DefaultValue, bool IsUserCheck, bool IsSecret = false)
{
    /// <summary>A CancellationToken: not marshalled; it governs the call instead.</summary>
    public bool IsCancellationToken => Type.Kind == MarshalKind.CancellationToken;

    /// <summary>The caller sends the value's contents.</summary>
    public bool CopiedIn => !IsCancellationToken && Direction != ParameterDirection.Out && Buffer != BufferDirection.Out;

    /// <summary>The caller sends only the buffer's length ([Out] arrays, spans and Memory).</summary>
    public bool SendsLengthOnly => Buffer == BufferDirection.Out;

    /// <summary>The value comes back after the call.</summary>
    public bool CopiedOut => !IsUserCheck && (Direction is ParameterDirection.Ref or ParameterDirection.Out || Buffer != BufferDirection.None);

    /// <summary>The modifier written before the type and at the call site: "", "in ", "ref " or "out ".</summary>
    public string Modifier => Direction switch
    {
        ParameterDirection.InReadOnly => "in ",
        ParameterDirection.Ref => "ref ",
        ParameterDirection.Out => "out ",
        _ => string.Empty,
    };
}

/// <summary>[Out] or [In, Out] on a buffer parameter.</summary>
internal enum BufferDirection
{
    None,
    Out,
    InOut,
}
