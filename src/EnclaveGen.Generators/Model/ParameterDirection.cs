namespace EnclaveGen.Generators.Model;

/// <summary>A parameter's C# modifier, which decides which way its value crosses.</summary>
internal enum ParameterDirection
{
    /// <summary>A value parameter: copied in.</summary>
    In,

    /// <summary>An <c>in</c> parameter: copied in, read-only for the callee.</summary>
    InReadOnly,

    /// <summary>A <c>ref</c> parameter: copied in and back out.</summary>
    Ref,

    /// <summary>An <c>out</c> parameter: copied out.</summary>
    Out,
}
