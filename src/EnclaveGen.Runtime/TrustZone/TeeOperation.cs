using System.ComponentModel;

namespace EnclaveGen;

/// <summary>
/// The parameters of one command (TEEC_Operation). A command generated from an ECALL takes the
/// ECALL's parameters in order (a <see cref="CancellationToken"/> excepted: it comes with the
/// invocation), then, when the ECALL returns a value, one <see cref="TeeParameterKind.Output"/>
/// parameter for it. Value parameters are <see cref="TeeParameterKind.Input"/>, <c>ref</c> and
/// <c>[In, Out]</c> buffers <see cref="TeeParameterKind.InOut"/>, <c>out</c> and <c>[Out]</c> buffers
/// <see cref="TeeParameterKind.Output"/>. Every parameter is checked before the enclave is entered.
/// </summary>
public sealed class TeeOperation
{
    private readonly TeeParameter[] _parameters;

    /// <summary>Creates an operation with these parameters.</summary>
    public TeeOperation(params TeeParameter[] parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        _parameters = parameters.Select((p, i) => p ?? throw new ArgumentException($"Parameter {i} is null; use TeeParameter.Output() for a place to write to.", nameof(parameters))).ToArray();
    }

    /// <summary>The parameters, in order.</summary>
    public IReadOnlyList<TeeParameter> Parameters => _parameters;

    /// <summary>The parameter at <paramref name="index"/>.</summary>
    public TeeParameter this[int index] => _parameters[index];

    /// <summary>Checks that the operation has exactly <paramref name="count"/> parameters. Called by generated code.</summary>
    /// <exception cref="TeeException"><see cref="TeeResult.BadParameters"/>.</exception>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public void ExpectCount(string command, int count)
    {
        if (_parameters.Length != count)
        {
            throw BadParameters($"command {command} takes {count} parameter{(count == 1 ? string.Empty : "s")}; the operation has {_parameters.Length}");
        }
    }

    /// <summary>The value of parameter <paramref name="index"/>, which must be of <paramref name="kind"/> and hold a <typeparamref name="T"/>. Called by generated code.</summary>
    /// <exception cref="TeeException"><see cref="TeeResult.BadParameters"/>, naming the parameter, the expected and the actual.</exception>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public T Read<T>(string command, int index, string name, TeeParameterKind kind, bool allowsNull)
    {
        TeeParameter parameter = Expect(command, index, name, kind);
        return parameter.Value switch
        {
            T value => value,
            null when allowsNull && default(T) is null => default!,
            _ => throw BadParameters($"command {command} parameter {index} ({name}) must hold {(allowsNull ? "null or " : string.Empty)}a {typeof(T).Name}; it holds {TeeParameter.Describe(parameter.Value)}"),
        };
    }

    /// <summary>Checks that parameter <paramref name="index"/> is an <see cref="TeeParameterKind.Output"/> to write a result to. Called by generated code.</summary>
    /// <exception cref="TeeException"><see cref="TeeResult.BadParameters"/>.</exception>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public void ExpectOutput(string command, int index, string name) => Expect(command, index, name, TeeParameterKind.Output);

    /// <summary>Writes a result to parameter <paramref name="index"/> (checked before the call). Called by generated code.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public void Write(int index, object? value) => _parameters[index].Value = value;

    private TeeParameter Expect(string command, int index, string name, TeeParameterKind kind)
    {
        TeeParameter parameter = _parameters[index];
        return parameter.Kind == kind
            ? parameter
            : throw BadParameters($"command {command} parameter {index} ({name}) is {kind}; the operation gives {parameter.Kind}");
    }

    private static TeeException BadParameters(string what) =>
        new(TeeResult.BadParameters, TeeReturnOrigin.Api, $"The operation does not fit: {what}. Build the TeeOperation from the ECALL's signature (docs/profiles.md, the TrustZone profile).");
}
