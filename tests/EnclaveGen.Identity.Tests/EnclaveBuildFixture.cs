using EnclaveGen.Runtime.Identity;

namespace EnclaveGen.Identity.Tests;

/// <summary>
/// The same solution written and built in two different temporary folders, as two clones of one
/// repository on one machine (one EnclaveGen home). The tests share them:
/// <see cref="First"/> keeps the enclave as built (tests there change only the host or publish),
/// <see cref="Second"/> takes the tests that change the enclave, its settings or its signer.
/// </summary>
public sealed class EnclaveBuildFixture : IDisposable
{
    private readonly string _home = Directory.CreateTempSubdirectory("egbuild-home-").FullName;

    public EnclaveBuildFixture()
    {
        First = new EnclaveSolution("first", _home);
        Second = new EnclaveSolution("second-folder", _home);
        First.Restore();
        Second.Restore();
        FirstBuildOutput = First.Build().Output;
        Second.Build();
        FirstMrenclave = EnclaveMeasurement.Measure(First.EnclaveInAppOutput, EnclaveSolution.EnclaveType).Mrenclave;
        SecondMrenclave = EnclaveMeasurement.Measure(Second.EnclaveInAppOutput, EnclaveSolution.EnclaveType).Mrenclave;
        FirstMrsigner = EnclaveImageVerifier.Verify(First.EnclaveInAppOutput, EnclaveSolution.EnclaveType).Mrsigner;
        SecondMrsigner = EnclaveImageVerifier.Verify(Second.EnclaveInAppOutput, EnclaveSolution.EnclaveType).Mrsigner;
    }

    internal EnclaveHash FirstMrsigner { get; }

    internal EnclaveHash SecondMrsigner { get; }

    internal EnclaveSolution First { get; }

    internal EnclaveSolution Second { get; }

    internal string FirstBuildOutput { get; }

    internal EnclaveHash FirstMrenclave { get; }

    internal EnclaveHash SecondMrenclave { get; }

    public void Dispose()
    {
        First.Dispose();
        Second.Dispose();
        Directory.Delete(_home, recursive: true);
    }
}
