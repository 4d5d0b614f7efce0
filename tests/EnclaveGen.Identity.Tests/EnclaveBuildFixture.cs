using EnclaveGen.Runtime.Identity;

namespace EnclaveGen.Identity.Tests;

/// <summary>
/// The same solution written and built in two different temporary folders. The tests share them:
/// <see cref="First"/> keeps the enclave as built (tests there change only the host or publish),
/// <see cref="Second"/> takes the tests that change the enclave, its settings or its signer.
/// </summary>
public sealed class EnclaveBuildFixture : IDisposable
{
    public EnclaveBuildFixture()
    {
        First = new EnclaveSolution("first");
        Second = new EnclaveSolution("second-folder");
        First.Restore();
        Second.Restore();
        FirstBuildOutput = First.Build().Output;
        Second.Build();
        FirstMrenclave = EnclaveMeasurement.Measure(First.EnclaveInAppOutput, EnclaveSolution.EnclaveType).Mrenclave;
        SecondMrenclave = EnclaveMeasurement.Measure(Second.EnclaveInAppOutput, EnclaveSolution.EnclaveType).Mrenclave;
    }

    internal EnclaveSolution First { get; }

    internal EnclaveSolution Second { get; }

    internal string FirstBuildOutput { get; }

    internal EnclaveHash FirstMrenclave { get; }

    internal EnclaveHash SecondMrenclave { get; }

    public void Dispose()
    {
        First.Dispose();
        Second.Dispose();
    }
}
