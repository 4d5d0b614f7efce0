using System.ComponentModel;

namespace EnclaveGen.Runtime.Generated;

/// <summary>
/// The version of the contract between generated code and this runtime. Generated code states
/// the version it was written for; the runtime refuses versions it does not speak.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class SupportApi
{
    /// <summary>The contract version this runtime implements.</summary>
    public const int Version = 1;
}
