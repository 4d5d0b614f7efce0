using PrivateInference.Host;

namespace EnclaveGen.EndToEnd.Tests;

/// <summary>`dotnet run --project samples/PrivateInference`: attested provisioning, a protected model file read back by position, encrypted inference.</summary>
[Collection(IsolatedSampleCollection.Name)]
public sealed class PrivateInferenceSampleTests
{
    private static readonly TimeSpan s_timeLimit = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task OwnerProvisionsOverAnAttestedChannelClientGetsMatchingPredictionsAndTheHostSeesNoSecret()
    {
        string folder = Path.Combine(Path.GetTempPath(), "enclavegen-inference-" + Guid.NewGuid().ToString("N"));
        try
        {
            StringWriter first = new();
            await InferenceApp.RunAsync(first, folder).WaitAsync(s_timeLimit);
            string text = first.ToString();

            Assert.Contains("isolated mode: the enclave runs in a process of its own", text);
            Assert.Contains("with AttestationPolicy.Default the owner refuses it: policy.emulated", text);
            Assert.Contains("AllowEmulated = true, AllowDebug = true", text);
            Assert.Contains("owner verified the quote: EMULATED evidence, DEBUG enclave, MRENCLAVE as expected", text);
            Assert.Contains("it holds exactly the model sent: yes", text);
            Assert.True(File.Exists(Path.Combine(folder, "model-v1.bin")));
            Assert.Contains("host <- the enclave wrote the model to its protected file model-v1.bin, sealed to its MRENCLAVE: the host stores", text);
            Assert.Contains("host -> ECALL LoadStoredModel() <- a model of 4 features is ready; each prediction reads the weights from model-v1.bin by position", text);
            Assert.Contains("client verified the quote (AllowEmulated = true, AllowDebug = true, the same MRENCLAVE): EMULATED evidence", text);
            Assert.Equal(6, text.Split('\n').Count(line => line.TrimEnd().EndsWith("  yes", StringComparison.Ordinal)));
            Assert.Contains("every prediction matches the plaintext model bit for bit: yes", text);
            Assert.Contains("the client's features, as the client encoded each patient: found for 0 of 6 patients", text);
            Assert.Contains("any one of its 5 parameters: found 0 times", text);
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
