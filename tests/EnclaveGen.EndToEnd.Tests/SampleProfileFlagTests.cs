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
        // The owner's service released the weights over attested TLS to the enclave's RA-TLS client
        // certificate, which carried the VM's evidence of the enclave (docs/attested-tls.md).
        Assert.Contains("[owner] released the model (44 bytes) to an enclave with EMULATED evidence, DEBUG, the expected MRENCLAVE, inside a confidential VM whose report binds it", output);
        // The client's HttpClient checked the VM's evidence in the enclave's RA-TLS server certificate;
        // a client that accepts hardware evidence only was refused before it sent.
        Assert.Contains($"client verified the enclave's certificate in each handshake (AllowEmulated = true, AllowDebug = true, the same MRENCLAVE): EMULATED evidence, DEBUG enclave, MRENCLAVE as expected, inside a confidential VM whose {vmEvidence}", output);
        Assert.Contains("a client with a strict policy (AllowEmulated = false): certificate REFUSED (tls.policyRefused); nothing was sent", output);
        Assert.Contains("every prediction matches the plaintext model bit for bit: yes", output);
        Assert.Contains("the client's features, as the client encoded each patient: found for 0 of 6 patients", output);
        Assert.Contains("on the 7 client connections (TLS records only: yes)", output);
        Assert.Contains("the predictions, as scores or probabilities (8 bytes each): found for 0 of 12", output);
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
