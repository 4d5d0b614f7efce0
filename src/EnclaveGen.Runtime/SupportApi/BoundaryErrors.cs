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

    /// <summary>An asynchronous method was called through the synchronous path.</summary>
    public static EnclaveMarshallingException AsynchronousOnly(uint methodId) =>
        new($"Method 0x{methodId:x8} is asynchronous and was called through the synchronous path; the host and the enclave library come from different builds.");

    /// <summary>Checks that a buffer coming back ([Out], [In, Out]) has the length the caller gave it.</summary>
    public static void CheckSameLength(int expected, int actual)
    {
        if (expected != actual)
        {
            throw new EnclaveMarshallingException(
                $"A boundary message is malformed: a buffer came back with {(actual < 0 ? "no elements (null)" : actual + " elements")}, but the caller's has {(expected < 0 ? "none (null)" : expected + " elements")}.");
        }
    }
}
