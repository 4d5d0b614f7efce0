using EnclaveGen.AspNetCore;
using PrivateInference.Host;

namespace EnclaveGen.EndToEnd.Tests;

/// <summary>
/// `dotnet run --project samples/PrivateInference`: the model owner's process releases the model
/// over attested TLS (MapSecretRelease), a protected model file read back by position, and a client
/// that speaks HTTPS to the enclave through the host (TLS ending inside the enclave); a client with a
/// strict policy is refused before it sends, and the host's relay holds TLS records only.
/// </summary>
[Collection(IsolatedSampleCollection.Name)]
public sealed class PrivateInferenceSampleTests
{
    private static readonly TimeSpan s_timeLimit = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task OwnerReleasesTheModelOverAttestedTlsClientGetsMatchingPredictionsOverHttpsAndTheHostSeesNoSecret()
    {
        string folder = Path.Combine(Path.GetTempPath(), "enclavegen-inference-" + Guid.NewGuid().ToString("N"));
        try
        {
            StringWriter first = new();
            IReadOnlyList<RelayedConnection> relay = await InferenceApp.RunSessionAsync(first, folder).WaitAsync(s_timeLimit);
            string text = first.ToString();

            Assert.Contains("isolated mode: the enclave runs in a process of its own", text);
            Assert.Contains("the owner's policy says so explicitly: AllowEmulated = true, AllowDebug = true, the MRENCLAVE it measured", text);
            Assert.Contains("  [owner] serving it with MapSecretRelease over HTTPS (TLS 1.3) on loopback; policy: the MRENCLAVE measured from PrivateInference.Enclave.dll, ALLOWS EMULATED evidence, ALLOWS a DEBUG enclave", text);
            Assert.Contains("  [owner] released the model (44 bytes) to an enclave with EMULATED evidence, DEBUG, the expected MRENCLAVE", text);
            Assert.Single(text.Split('\n'), line => line.Contains("[owner] released", StringComparison.Ordinal));
            Assert.True(File.Exists(Path.Combine(folder, "model-v1.bin")));
            Assert.Contains("host <- the enclave wrote the model to its protected file model-v1.bin, sealed to its MRENCLAVE: the host stores", text);
            Assert.Contains("host -> ECALL LoadStoredModel() <- a model of 4 features is ready; each prediction reads the weights from model-v1.bin by position", text);

            // The strict client: refused in the handshake; the enclave read no request on its connection.
            Assert.Contains("  a client with a strict policy (AllowEmulated = false): certificate REFUSED (tls.policyRefused); nothing was sent", text);
            Assert.Contains("  host: that connection carried the TLS handshake only; the enclave read no request (System.IO.IOException)", text);
            Assert.Contains("client verified the enclave's certificate in each handshake (AllowEmulated = true, AllowDebug = true, the same MRENCLAVE): EMULATED evidence, DEBUG enclave, MRENCLAVE as expected", text);
            Assert.Contains("the enclave answered HTTP 200 to all 6", text);
            Assert.Equal(6, text.Split('\n').Count(line => line.TrimEnd().EndsWith("  yes", StringComparison.Ordinal)));
            Assert.Contains("every prediction matches the plaintext model bit for bit: yes", text);

            // Step 7, the host's own audit of everything it handled.
            Assert.Contains("on the 7 client connections (TLS records only: yes)", text);
            Assert.Contains("the client's features, as the client encoded each patient: found for 0 of 6 patients", text);
            Assert.Contains("any one feature value (8 bytes): found for 0 of 24", text);
            Assert.Contains("(\"POST /predict\", \"HTTP/1.1 200\"): found 0 times", text);
            Assert.Contains("any one of its 5 parameters: found 0 times", text);
            Assert.Contains("the predictions, as scores or probabilities (8 bytes each): found for 0 of 12", text);
            AssertRelayIsTlsAndTheStrictClientSentNoRequest(relay);

            // Deterministic: a second run (fresh keys, certificates and ciphertext) prints the same story.
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

    /// <summary>
    /// Checked on the bytes themselves, not on the sample's word: the owner's connection, the strict
    /// client's and six clients' are each TLS both ways; the strict client sent no encrypted record
    /// as long as any accepted client's request; each accepted client's request and answer went as
    /// application data.
    /// </summary>
    private static void AssertRelayIsTlsAndTheStrictClientSentNoRequest(IReadOnlyList<RelayedConnection> relay)
    {
        Assert.Equal(8, relay.Count);
        Assert.Equal("fetched the model", relay[0].Outcome);
        Assert.All(relay, c => Assert.Equal(new byte[] { 22, 3 }, c.ToEnclave[..2]));
        Assert.All(relay, c => Assert.Equal(new byte[] { 22, 3 }, c.FromEnclave[..2]));

        RelayedConnection refused = relay[1];
        RelayedConnection[] accepted = [.. relay.Skip(2)];
        Assert.Equal("read no request (System.IO.IOException)", refused.Outcome);
        Assert.All(accepted, c => Assert.Equal("answered HTTP 200", c.Outcome));

        // In TLS 1.3 the client's Finished and alerts are application-data records too, so compare
        // lengths: the smallest request an accepted client sent is longer than anything the refused one sent.
        int shortestRequest = accepted.Min(c => TlsRecordLayer.Records(c.ToEnclave).Where(r => r.Type == TlsRecordLayer.ApplicationData).Max(r => r.Length));
        Assert.All(TlsRecordLayer.Records(refused.ToEnclave).Where(r => r.Type == TlsRecordLayer.ApplicationData), r => Assert.True(r.Length < shortestRequest, $"an encrypted record of {r.Length} bytes left the refusing client; a request is {shortestRequest}"));
        Assert.All(accepted, c => Assert.Contains(TlsRecordLayer.Records(c.FromEnclave), r => r.Type == TlsRecordLayer.ApplicationData));
    }
}
