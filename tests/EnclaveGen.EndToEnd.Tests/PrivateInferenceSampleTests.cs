using PrivateInference.Host;

namespace EnclaveGen.EndToEnd.Tests;

/// <summary>`dotnet run --project samples/PrivateInference`: the model owner's process releases the model over attested TLS (MapSecretRelease), a protected model file read back by position, encrypted inference.</summary>
[Collection(IsolatedSampleCollection.Name)]
public sealed class PrivateInferenceSampleTests
{
    private static readonly TimeSpan s_timeLimit = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task OwnerReleasesTheModelOverAttestedTlsClientGetsMatchingPredictionsAndTheHostSeesNoSecret()
    {
        string folder = Path.Combine(Path.GetTempPath(), "enclavegen-inference-" + Guid.NewGuid().ToString("N"));
        try
        {
            StringWriter first = new();
            await InferenceApp.RunAsync(first, folder).WaitAsync(s_timeLimit);
            string text = first.ToString();

            Assert.Contains("isolated mode: the enclave runs in a process of its own", text);
            Assert.Contains("the owner's policy says so explicitly: AllowEmulated = true, AllowDebug = true, the MRENCLAVE it measured", text);
            Assert.Contains("  [owner] serving it with MapSecretRelease over HTTPS (TLS 1.3) on loopback; policy: the MRENCLAVE measured from PrivateInference.Enclave.dll, ALLOWS EMULATED evidence, ALLOWS a DEBUG enclave", text);
            Assert.Contains("  [owner] released the model (44 bytes) to an enclave with EMULATED evidence, DEBUG, the expected MRENCLAVE", text);
            Assert.Single(text.Split('\n'), line => line.Contains("[owner] released", StringComparison.Ordinal));
            Assert.True(File.Exists(Path.Combine(folder, "model-v1.bin")));
            Assert.Contains("host <- the enclave wrote the model to its protected file model-v1.bin, sealed to its MRENCLAVE: the host stores", text);
            Assert.Contains("host -> ECALL LoadStoredModel() <- a model of 4 features is ready; each prediction reads the weights from model-v1.bin by position", text);
            Assert.Contains("client verified the quote (AllowEmulated = true, AllowDebug = true, the same MRENCLAVE): EMULATED evidence", text);
            Assert.Equal(6, text.Split('\n').Count(line => line.TrimEnd().EndsWith("  yes", StringComparison.Ordinal)));
            Assert.Contains("every prediction matches the plaintext model bit for bit: yes", text);
            Assert.Contains("the client's features, as the client encoded each patient: found for 0 of 6 patients", text);
            Assert.Contains("any one of its 5 parameters: found 0 times", text);
            Assert.Contains("and every TLS byte it relayed between the owner and the enclave", text);
            Assert.Contains("the predictions, as scores or probabilities (8 bytes each): found for 0 of 12", text);

            // Deterministic: a second run (fresh nonces, keys and ciphertext) prints the same story.
            StringWriter second = new();
            await InferenceApp.RunAsync(second, folder).WaitAsync(s_timeLimit);
            Assert.Equal(text, second.ToString());
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }
}
