using System.ComponentModel;

namespace EnclaveGen.Runtime.Generated;

/// <summary>
/// The version of the contract between generated code and this runtime. Generated code states
/// the version it was written for; the runtime refuses versions it does not speak.
/// </summary>
/// <remarks>
/// The types in this folder are hand-written; generated stubs call them. Their namespace,
/// <c>EnclaveGen.Runtime.Generated</c>, is part of the contract: generated code names it, and the
/// measurement finds the enclave's definition attribute in it (docs/measurement.md), so it stays
/// as it is although the folder says what the code is.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class SupportApi
{
    /// <summary>The contract version this runtime implements.</summary>
    public const int Version = 1;
}
