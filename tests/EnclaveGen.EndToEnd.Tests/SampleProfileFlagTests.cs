namespace EnclaveGen.EndToEnd.Tests;

/// <summary>
/// `--platform` on the samples, run as a user runs them (their app hosts, in isolated mode, so the
/// enclave's own process takes the profile too): PrivateInference's whole flow under confidential-VM
/// evidence that the owner's and the client's policies check, HelloEnclave as a trusted application.
/// </summary>
[Collection(IsolatedSampleCollection.Name)]
public sealed class SampleProfileFlagTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("egprofileflag").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Theory]
    [InlineData("cvm-emulated", "AMD SEV-SNP attestation report")]
    [InlineData("cvm-emulated-tdx", "Intel TDX DCAP quote")]
    public void PrivateInferenceRunsTheWholeFlowOnConfidentialVmEvidence(string platform, string vmEvidence)
    {
        (int exitCode, string output, string error) = SampleProcess.Run("PrivateInference", Home(), ["--platform", platform, "--state", Path.Combine(_root, "state")]);

        Assert.True(exitCode == 0, error);
        Assert.Contains("isolated mode: the enclave runs in a process of its own", output);
        Assert.Contains("with AttestationPolicy.Default the owner refuses it: policy.emulated", output);
        Assert.Contains($"owner verified the quote: EMULATED evidence, DEBUG enclave, MRENCLAVE as expected, inside a confidential VM whose {vmEvidence} binds the enclave", output);
        Assert.Contains($"client verified the quote (AllowEmulated = true, AllowDebug = true, the same MRENCLAVE): EMULATED evidence, DEBUG enclave, MRENCLAVE as expected, inside a confidential VM whose {vmEvidence}", output);
        Assert.Contains("it holds exactly the model sent: yes", output);
        Assert.Contains("every prediction matches the plaintext model bit for bit: yes", output);
        Assert.Contains("the client's features, as the client encoded each patient: found for 0 of 6 patients", output);
    }

    [Fact]
    public void HelloEnclaveRunsAsATrustedApplicationInItsOwnProcess()
    {
        (int exitCode, string output, string error) = SampleProcess.Run("HelloEnclave", Home(), ["--isolated", "--platform", "trustzone-emulated"]);

        Assert.True(exitCode == 0, error);
        Assert.Contains("HelloEnclave as a trusted application (profile trustzone-emulated)", output);
        Assert.Contains("client <- \"Welcome back, Alice (visit 2).\"", output);
        Assert.Contains("<- NotImplemented (0xffff0009) from TrustedApplication", output);
    }

    [Theory]
    [InlineData("HelloEnclave")]
    [InlineData("PrivateInference")]
    public void AnUnknownPlatformIsRefusedWithTheProfileNames(string sample)
    {
        (int exitCode, _, string error) = SampleProcess.Run(sample, Home(), ["--platform", "sgx-hardware"]);

        Assert.Equal(64, exitCode);
        Assert.Contains("--platform", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    private string Home()
    {
        string home = Path.Combine(_root, "home");
        Directory.CreateDirectory(home);
        return home;
    }
}
