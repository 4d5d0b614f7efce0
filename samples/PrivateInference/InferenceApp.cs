using System.Buffers.Binary;
using System.Globalization;
using EnclaveGen;
using EnclaveGen.Attestation;
using EnclaveGen.Attestation.Channel;
using EnclaveGen.Attestation.Cvm;
using EnclaveGen.Attestation.Emulation;
using EnclaveGen.Attestation.Verification;
using EnclaveGen.Runtime.Platform;
using EnclaveGen.Runtime.ProtectedFiles;

namespace PrivateInference.Host;

/// <summary>
/// The sample's whole story, callable from Program and from the end-to-end test: a model owner
/// and a client who do not trust each other, or the host, meet in an enclave. The owner's weights
/// and the client's features are each decrypted only inside; the host relays and stores ciphertext.
/// </summary>
public static class InferenceApp
{
    private const int TrainingSeed = 8;
    private const int ClientSeed = 2026;
    private const int TrainingPatients = 400;
    private const int ClientPatients = 6;
    private const int Epochs = 500;
    private const double LearningRate = 0.5;

    /// <summary>Where the model's protected file is kept unless told otherwise: the samples folder of the user's EnclaveGen home.</summary>
    public static string DefaultStateFolder => Path.Combine(EnclaveGenHome.Resolve(), "samples", "PrivateInference");

    /// <summary>Runs the sample.</summary>
    /// <param name="output">Where the story is told.</param>
    /// <param name="stateFolder">Where the host stores the model's protected file (created if missing).</param>
    /// <param name="mode">Isolated (the default, Linux) keeps the enclave's memory out of the host's process.</param>
    public static async Task RunAsync(TextWriter output, string stateFolder, EnclaveMode mode = EnclaveMode.Isolated)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentException.ThrowIfNullOrWhiteSpace(stateFolder);
        output.WriteLine("PrivateInference: a model owner's weights and a client's features meet only inside an enclave.");
        output.WriteLine(mode == EnclaveMode.Isolated
            ? "isolated mode: the enclave runs in a process of its own; the host relays and stores only ciphertext."
            : "in-process mode: the enclave shares the host's process (an emulation that does not keep the host out of its memory).");
        output.WriteLine("emulated TEE: no enclave hardware here, so the enclave's quotes are EMULATED evidence, signed under this machine's emulated root.");
        output.WriteLine("one command: the model owner and the client are objects in this process; the host's part is only what it relays and stores.");
        output.WriteLine();

        output.WriteLine("1. The model owner trains a model on its own data (outside any enclave)");
        (double[][] trainingFeatures, int[] trainingLabels) = SyntheticPatients.Generate(TrainingPatients, TrainingSeed);
        LogisticModel model = LogisticModel.Train(trainingFeatures, trainingLabels, Epochs, LearningRate);
        output.WriteLine($"  logistic regression, {model.FeatureCount} features ({string.Join(", ", SyntheticPatients.FeatureNames)}), {TrainingPatients} synthetic patients (seed {TrainingSeed})");
        output.WriteLine($"  {Epochs} epochs of gradient descent; training accuracy {model.Accuracy(trainingFeatures, trainingLabels).ToString("P1", CultureInfo.InvariantCulture)}");
        output.WriteLine();

        // Both parties trust only the platform's root certificate, published by whoever runs the
        // machine, and the enclave build they measured (here the host tells them its MRENCLAVE; a
        // real party computes it from the enclave's source with `enclavegen measure`).
        AttestationVerifier verifier = new([EmulatedAttestationAuthority.CreateTrustAnchor(EnclavePlatform.Default.AttestationRootCertificate.Span), EnclavePlatform.Default.CvmTrustAnchor]);
        HostView host = new();
        using FolderProtectedFileStorage storage = new(stateFolder);
        EnclaveOptions options = new() { Mode = mode, Interceptor = host, FileStorage = storage };
        string modelPath = storage.PathOf(InferenceEngine.ModelFileName, ProtectedFilePart.Data);

        // Every run provisions afresh: the file an earlier run left is removed first, so each run
        // makes the same crossings and prints the same story.
        storage.Delete(InferenceEngine.ModelFileName, ProtectedFilePart.Data);

        output.WriteLine("2. The host starts the enclave");
        InferenceEngine.Proxy engine = await InferenceEngine.CreateEnclaveAsync(options);
        byte[] mrenclave = engine.Identity.Mrenclave.ToArray();
        output.WriteLine($"  enclave loaded: {engine.Identity.EnclaveTypeName}, {(engine.Identity.IsDebug ? "DEBUG build" : "production build")}, MRENCLAVE {engine.Identity.Mrenclave}");
        AttestationPolicy policy = new()
        {
            AllowEmulated = true,    // explicit: this machine has no TEE; the default policy refuses emulated evidence
            AllowDebug = true,       // explicit: the sample's enclave is a DEBUG build
            ExpectedUniqueIds = [mrenclave],
            ExpectedProductId = engine.Identity.ProductId,
        };
        output.WriteLine();

        using ModelOwner owner = new(model, verifier, policy);
        using Client client = new(verifier, policy);
        try
        {
            output.WriteLine("3. The model owner verifies the enclave and provisions the weights over an attested channel");
            ChannelOffer offer = engine.Offer(Party.ModelOwner, host.Relay(owner.Nonce));
            output.WriteLine("  host -> ECALL Offer(ModelOwner, owner's nonce); host relays the quote and the enclave's channel key to the owner");
            host.Relay(offer.Quote);
            host.Relay(offer.PublicKey);
            try
            {
                RelyingPartyChannel.Connect(verifier, offer.Quote, null, offer.PublicKey, AttestationPolicy.Default, owner.Nonce);
                output.WriteLine("  with AttestationPolicy.Default the quote was ACCEPTED (unexpected for emulated evidence)");
            }
            catch (AttestationException refused)
            {
                output.WriteLine($"  with AttestationPolicy.Default the owner refuses it: {refused.Check} (emulated evidence proves nothing about hardware)");
            }

            output.WriteLine("  the owner's policy says so explicitly: AllowEmulated = true, AllowDebug = true, MRENCLAVE = the build above, product ID " + engine.Identity.ProductId);
            (byte[] ownerKey, AttestationClaims ownerView) = owner.Connect(offer.Quote, offer.PublicKey);
            output.WriteLine($"  owner verified the quote: {Describe(ownerView)}; the channel key is bound in REPORTDATA");
            engine.Accept(Party.ModelOwner, host.Relay(ownerKey));
            output.WriteLine("  host -> ECALL Accept(ModelOwner, owner's key): the channel is open, its keys exist only in the owner and the enclave");
            byte[] modelRecord = host.Relay(owner.SealModel());
            output.WriteLine($"  owner -> the model, encrypted on its channel; host -> ECALL ProvisionModel({modelRecord.Length} bytes of ciphertext)");
            ProvisionReceipt receipt = engine.ProvisionModel(modelRecord);
            byte[] stored = host.Relay(File.ReadAllBytes(modelPath));
            output.WriteLine($"  host <- the enclave wrote the model to its protected file {receipt.ModelFile}, sealed to its MRENCLAVE: the host stores {stored.Length:N0} bytes of ciphertext");
            bool receiptMatches = owner.ReceiptMatches(host.Relay(receipt.OwnerRecord));
            output.WriteLine($"  owner <- the enclave's receipt on the channel: it holds exactly the model sent: {(receiptMatches ? "yes" : "NO")}");
            output.WriteLine();

            output.WriteLine("4. The enclave restarts; it opens the model's protected file itself, without the owner");
            await engine.DisposeAsync();
            engine = await InferenceEngine.CreateEnclaveAsync(options);
            int featureCount = engine.LoadStoredModel();
            output.WriteLine($"  host -> ECALL LoadStoredModel() <- a model of {featureCount} features is ready; each prediction reads the weights from {InferenceEngine.ModelFileName} by position");
            output.WriteLine();

            output.WriteLine("5. A client verifies the enclave with its own policy and channel, and sends encrypted features");
            offer = engine.Offer(Party.Client, host.Relay(client.Nonce));
            host.Relay(offer.Quote);
            host.Relay(offer.PublicKey);
            (byte[] clientKey, AttestationClaims clientView) = client.Connect(offer.Quote, offer.PublicKey);
            output.WriteLine($"  client verified the quote (AllowEmulated = true, AllowDebug = true, the same MRENCLAVE): {Describe(clientView)}");
            engine.Accept(Party.Client, host.Relay(clientKey));
            (double[][] patients, _) = SyntheticPatients.Generate(ClientPatients, ClientSeed);
            double[] scores = new double[patients.Length];
            double[] fromEnclave = new double[patients.Length];
            for (int k = 0; k < patients.Length; k++)
            {
                byte[] request = host.Relay(client.SealFeatures(patients[k]));
                byte[] reply = host.Relay(engine.Predict(request));
                scores[k] = client.OpenScore(reply);
                fromEnclave[k] = LogisticModel.Probability(scores[k]);
                if (k == 0)
                {
                    output.WriteLine($"  each patient: client -> {request.Length} bytes of ciphertext -> host -> ECALL Predict -> {reply.Length} bytes of ciphertext -> host -> client");
                    output.WriteLine("  the enclave only multiplies and adds (the score, in log-odds); the client turns the score into a probability,");
                    output.WriteLine("  so the logistic function's value-dependent division and exponential run outside the enclave");
                }
            }

            output.WriteLine();
            output.WriteLine("6. The predictions the client decrypted, next to the plaintext model run outside the enclave");
            output.WriteLine("   (this table is the sample checking its work; no party in the story sees both columns' inputs)");
            output.WriteLine($"  {"patient",-8} {string.Join(" ", SyntheticPatients.FeatureNames.Select(n => $"{n,14}"))}  {"enclave",8}  {"outside",8}  same");
            bool allSame = true;
            for (int k = 0; k < patients.Length; k++)
            {
                double outside = model.Predict(patients[k]);
                bool same = BitConverter.DoubleToInt64Bits(outside) == BitConverter.DoubleToInt64Bits(fromEnclave[k]);
                allSame &= same;
                string features = string.Join(" ", patients[k].Select(x => x.ToString("+0.00;-0.00", CultureInfo.InvariantCulture).PadLeft(14)));
                output.WriteLine($"  {k + 1,-8} {features}  {Format(fromEnclave[k]),8}  {Format(outside),8}  {(same ? "yes" : "NO")}");
            }

            output.WriteLine($"  every prediction matches the plaintext model bit for bit: {(allSame ? "yes" : "NO")}");
            output.WriteLine();

            output.WriteLine("7. What the host handled, searched for the parties' secrets");
            output.WriteLine($"  {host.BoundaryMessages} sealed boundary messages (the model file's blocks crossed in them) and {host.RelayedPayloads} relayed or stored payloads (nonces, quotes, keys, channel records, the model's protected file)");
            output.WriteLine($"  the client's features, as the client encoded each patient: found for {Found(host, patients.Select(Client.Encode))} of {patients.Length} patients");
            output.WriteLine($"  the model, as the owner encoded it, or any one of its {model.FeatureCount + 1} parameters: found {Found(host, [model.Encode(), .. new[] { model.Bias }.Concat(model.Weights).Select(Bytes)])} times");
            output.WriteLine($"  the predictions, as scores or probabilities (8 bytes each): found for {Found(host, scores.Select(Bytes).Concat(fromEnclave.Select(Bytes)))} of {2 * fromEnclave.Length}");
        }
        finally
        {
            await engine.DisposeAsync();
        }

        output.WriteLine();
        output.WriteLine("The owner never saw a patient; the client got predictions, never weights; the host carried only ciphertext.");
    }

    private static string Describe(AttestationClaims claims) =>
        $"{(claims.IsEmulated ? "EMULATED evidence" : "hardware evidence")}, {(claims.IsDebug ? "DEBUG enclave" : "production enclave")}, MRENCLAVE as expected{(claims is CvmEnclaveClaims cvm ? $", inside a confidential VM whose {cvm.Vm.Format.DisplayName} binds the enclave (VM measurement {Convert.ToHexStringLower(cvm.Vm.UniqueId.Span)[..16]}...)" : string.Empty)}";

    private static string Format(double probability) => probability.ToString("0.000000", CultureInfo.InvariantCulture);

    private static byte[] Bytes(double value)
    {
        byte[] bytes = new byte[sizeof(double)];
        BinaryPrimitives.WriteDoubleLittleEndian(bytes, value);
        return bytes;
    }

    // How many of the byte strings appear anywhere in what the host handled.
    private static int Found(HostView host, IEnumerable<byte[]> secrets) => secrets.Count(secret => host.Saw(secret));
}
