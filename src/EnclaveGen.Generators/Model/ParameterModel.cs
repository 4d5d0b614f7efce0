namespace EnclaveGen.Generators.Model;

/// <summary>One parameter of a boundary method.</summary>
internal sealed record ParameterModel(string Name, TypeModel Type, ParameterDirection Direction)
{
    public bool CopiedIn => Direction is ParameterDirection.In or ParameterDirection.InReadOnly or ParameterDirection.Ref;

    public bool CopiedOut => Direction is ParameterDirection.Ref or ParameterDirection.Out;

    /// <summary>The modifier written before the type and at the call site: "", "in ", "ref " or "out ".</summary>
    public string Modifier => Direction switch
    {
        ParameterDirection.InReadOnly => "in ",
        ParameterDirection.Ref => "ref ",
        ParameterDirection.Out => "out ",
        _ => string.Empty,
    };
}
