namespace EnclaveGen.Shared.Marshalling;

/// <summary>Where in a signature a type appears; some kinds are allowed only in some places.</summary>
internal enum TypePosition
{
    /// <summary>A parameter of an ECALL.</summary>
    EcallParameter,

    /// <summary>A parameter of an OCALL.</summary>
    OcallParameter,

    /// <summary>A method's return type.</summary>
    Return,

    /// <summary>Inside another type: an element, a key, a member, a task's result.</summary>
    Nested,
}
