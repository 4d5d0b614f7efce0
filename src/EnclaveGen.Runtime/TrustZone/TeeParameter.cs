namespace EnclaveGen;

/// <summary>Which way a <see cref="TeeParameter"/> travels, as the GlobalPlatform parameter types say (TEEC_VALUE_INPUT, TEEC_MEMREF_TEMP_OUTPUT, ...).</summary>
public enum TeeParameterKind
{
    /// <summary>Not used: the command takes fewer parameters (TEEC_NONE).</summary>
    None,

    /// <summary>Sent to the trusted application.</summary>
    Input,

    /// <summary>Written by the trusted application (an <c>out</c> parameter, the result, or an <c>[Out]</c> buffer the client sizes).</summary>
    Output,

    /// <summary>Sent and written back (a <c>ref</c> parameter, or an <c>[In, Out]</c> buffer).</summary>
    InOut,
}

/// <summary>
/// One parameter of a <see cref="TeeOperation"/>. Where the GlobalPlatform API has untyped values
/// and memory references, a parameter here holds a value of the ECALL parameter's own type; an
/// array stands for a memory reference (and for a span or Memory parameter), and an <c>[Out]</c>
/// or <c>[In, Out]</c> buffer is filled in place, as a shared memory reference would be.
/// </summary>
public sealed class TeeParameter
{
    private TeeParameter(TeeParameterKind kind, object? value)
    {
        Kind = kind;
        Value = value;
    }

    /// <summary>Which way it travels.</summary>
    public TeeParameterKind Kind { get; }

    /// <summary>The value: what was sent, and after the command what came back for outputs.</summary>
    public object? Value { get; internal set; }

    /// <summary>A value or buffer sent to the trusted application.</summary>
    public static TeeParameter Input(object? value) => new(TeeParameterKind.Input, value);

    /// <summary>A place for a value the trusted application writes (an <c>out</c> parameter or the result).</summary>
    public static TeeParameter Output() => new(TeeParameterKind.Output, null);

    /// <summary>A buffer the trusted application fills (an <c>[Out]</c> array or span parameter): its length is what the client offers.</summary>
    public static TeeParameter Output(Array buffer)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        return new(TeeParameterKind.Output, buffer);
    }

    /// <summary>A value sent and written back (a <c>ref</c> parameter or an <c>[In, Out]</c> buffer).</summary>
    public static TeeParameter InOut(object? value) => new(TeeParameterKind.InOut, value);

    /// <summary>The value as <typeparamref name="T"/>, after a command wrote it.</summary>
    /// <exception cref="InvalidCastException">The value is not a <typeparamref name="T"/>.</exception>
    public T Get<T>() => Value is T value || (Value is null && default(T) is null) ? (T)Value! : throw new InvalidCastException($"The parameter holds {Describe(Value)}, not {typeof(T).Name}.");

    internal static string Describe(object? value) => value is null ? "null" : $"a {value.GetType().Name}";
}
