using System.ComponentModel;

namespace EnclaveGen.Runtime.Generated;

/// <summary>Errors generated code raises, created here so every message reads the same.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class BoundaryErrors
{
    /// <summary>A message named a method this side does not have.</summary>
    public static EnclaveMarshallingException UnknownMethod(uint methodId) =>
        new($"A boundary message names method ID 0x{methodId:x8}, which this enclave does not have. " +
            "The host and the enclave library come from different builds; rebuild both.");
}
