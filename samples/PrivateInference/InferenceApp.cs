using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using EnclaveGen;
using EnclaveGen.AspNetCore;
using EnclaveGen.Attestation;
using EnclaveGen.Attestation.Cvm;
using EnclaveGen.Attestation.Emulation;
using EnclaveGen.Attestation.Tls;
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
    private const int ClientSeed = 2026;
    private const int ClientPatients = 6;

    // How long the host waits for the enclave to finish a client's connection (liveness only).
    private static readonly TimeSpan s_connectionLimit = TimeSpan.FromMinutes(1);

    /// <summary>Where the model's protected file is kept unless told otherwise: the samples folder of the user's EnclaveGen home.</summary>
    public static string DefaultStateFolder => Path.Combine(EnclaveGenHome.Resolve(), "samples", "PrivateInference");

    /// <summary>Runs the sample.</summary>
    /// <param name="output">Where the story is told.</param>
    /// <param name="stateFolder">Where the host stores the model's protected file (created if missing).</param>
    /// <param name="mode">Isolated (the default, Linux) keeps the enclave's memory out of the host's process.</param>
    public static async Task RunAsync(TextWriter output, string stateFolder, EnclaveMode mode = EnclaveMode.Isolated) =>
        _ = await RunSessionAsync(output, stateFolder, mode);

    /// <summary>Runs the sample and returns every connection the host relayed for the enclave, with its bytes (for the end-to-end test).</summary>
    /// <param name="output">Where the story is told.</param>
    /// <param name="stateFolder">Where the host stores the model's protected file (created if missing).</param>
    /// <param name="mode">Isolated (the default, Linux) keeps the enclave's memory out of the host's process.</param>
    public static async Task<IReadOnlyList<RelayedConnection>> RunSessionAsync(TextWriter output, string stateFolder, EnclaveMode mode = EnclaveMode.Isolated)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentException.ThrowIfNullOrWhiteSpace(stateFolder);
        output.WriteLine("PrivateInference: a model owner's weights and a client's features meet only inside an enclave.");
        output.WriteLine(mode == EnclaveMode.Isolated
            ? "isolated mode: the enclave runs in a process of its own; the host relays and stores only ciphertext."
            : "in-process mode: the enclave shares the host's process (an emulation that does not keep the host out of its memory).");
        output.WriteLine("emulated TEE: no enclave hardware here, so the enclave's quotes are EMULATED evidence, signed under this machine's emulated root.");
        output.WriteLine("one command: the model owner is a process of its own (an HTTPS secret release service on loopback); the client is an HttpClient in this");
        output.WriteLine("process that speaks HTTPS to the enclave through the host; the host's part is only what it relays and stores.");
        output.WriteLine();

        // Both parties trust only the platform's root certificate, published by whoever runs the
        // machine, and the enclave build they measured (the owner measures its copy of the enclave
        // library; here the host tells the client its MRENCLAVE: a real client computes it from the
        // enclave's source with `enclavegen measure`).
        AttestationVerifier verifier = new([EmulatedAttestationAuthority.CreateTrustAnchor(EnclavePlatform.Default.AttestationRootCertificate.Span), EnclavePlatform.Default.CvmTrustAnchor]);
        HostView host = new();
        using FolderProtectedFileStorage storage = new(stateFolder);
        EnclaveOptions options = new() { Mode = mode, Interceptor = host, FileStorage = storage };
        string modelPath = storage.PathOf(InferenceEngine.ModelFileName, ProtectedFilePart.Data);

        // Every run provisions afresh: the file an earlier run left is removed first, so each run
        // makes the same crossings and prints the same story.
        storage.Delete(InferenceEngine.ModelFileName, ProtectedFilePart.Data);

        output.WriteLine("1. The model owner's process trains its model and serves it with MapSecretRelease");
        string programFolder = Path.GetDirectoryName(typeof(InferenceApp).Assembly.Location) ?? AppContext.BaseDirectory;
        string trustRoot = Path.Combine(Path.GetTempPath(), "privateinference-root-" + Guid.NewGuid().ToString("N") + ".der");
        await File.WriteAllBytesAsync(trustRoot, EnclavePlatform.Default.AttestationRootCertificate.ToArray());
        string cvmRoot = Path.ChangeExtension(trustRoot, ".cvm.der");
        await File.WriteAllBytesAsync(cvmRoot, EnclavePlatform.Default.CvmTrustAnchor.CertificateDer.ToArray());
        LogisticModel model = ModelOwnerService.Train();   // the same seeded model, only to check the predictions at the end
        using OwnerProcess owner = await StartOwnerAsync(trustRoot, cvmRoot, Path.Combine(programFolder, "PrivateInference.Enclave.dll"));
        output.WriteLine("  the owner's policy says so explicitly: AllowEmulated = true, AllowDebug = true, the MRENCLAVE it measured (no TEE here; a DEBUG build)");
        output.WriteLine();

        output.WriteLine("2. The host starts the enclave");
        InferenceEngine.Proxy engine = await InferenceEngine.CreateEnclaveAsync(host, options);
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

        IReadOnlyList<RelayedConnection> relayed;
        try
        {
            output.WriteLine("3. The enclave fetches the model from the owner over attested TLS; the host relays only TLS bytes");
            using (TcpClient toOwner = new())
            {
                await toOwner.ConnectAsync(IPAddress.Loopback, owner.Address.Port);
                output.WriteLine("  host: opens a TCP connection to the owner's service and hands it to the enclave (ECALL ProvisionModelAsync)");
                int connection = host.Connections.Open(toOwner.GetStream());
                string modelFile = await engine.ProvisionModelAsync(connection, owner.Address.ToString(), host.Relay(owner.Certificate));
                host.Connections.Close(connection, "fetched the model");
                output.WriteLine("  enclave: TLS 1.3 to the owner, presenting an RA-TLS client certificate made inside (its evidence binds the key);");
                output.WriteLine("           it accepts the owner only by the owner's pinned certificate (passed in by the host here: see docs/attested-tls.md)");
                byte[] stored = host.Relay(File.ReadAllBytes(modelPath));
                output.WriteLine($"  host <- the enclave wrote the model to its protected file {modelFile}, sealed to its MRENCLAVE: the host stores {stored.Length:N0} bytes of ciphertext");
            }

            foreach (string line in await owner.StopAsync(TimeSpan.FromMinutes(1)))
            {
                output.WriteLine($"  [owner] {line}");
            }

            output.WriteLine();

            output.WriteLine("4. The enclave restarts; it opens the model's protected file itself, without the owner");
            await engine.DisposeAsync();
            engine = await InferenceEngine.CreateEnclaveAsync(host, options);
            int featureCount = engine.LoadStoredModel();
            output.WriteLine($"  host -> ECALL LoadStoredModel() <- a model of {featureCount} features is ready; each prediction reads the weights from {InferenceEngine.ModelFileName} by position");
            output.WriteLine();

            output.WriteLine("5. A client speaks HTTPS to the enclave through the host; TLS ends inside the enclave");
            host.Relay(engine.CreateCertificate());
            output.WriteLine("  host -> ECALL CreateCertificate() <- the enclave made its TLS key and an RA-TLS certificate inside (public; its evidence,");
            output.WriteLine("           OID 2.23.133.5.4.9, binds the key); a client checks it in each TLS handshake, before it sends a byte");
            await using ClientRelay relay = await ClientRelay.StartAsync(engine, host);
            output.WriteLine("  host: relays TCP connections on loopback to the enclave (UseEnclaveRelay: Kestrel does no TLS and no HTTP here)");
            (double[][] patients, _) = SyntheticPatients.Generate(ClientPatients, ClientSeed);

            // A client that accepts hardware evidence only: its handshake fails on the emulated
            // evidence, before its HttpClient writes a byte of the request.
            using (Client strict = new(verifier, policy with { AllowEmulated = false }, relay.Address))
            {
                AttestedTlsException? refusal = null;
                try
                {
                    await strict.PredictAsync(patients[0]);
                }
                catch (AttestedTlsException refused)
                {
                    refusal = refused;
                }

                output.WriteLine(refusal is null
                    ? "  a client with a strict policy (AllowEmulated = false): the enclave's certificate was NOT refused"
                    : $"  a client with a strict policy (AllowEmulated = false): certificate REFUSED ({refusal.Check}); nothing was sent");
                output.WriteLine($"  host: that connection carried the TLS handshake only; the enclave {await relay.NextOutcomeAsync(s_connectionLimit)}");
            }

            using Client client = new(verifier, policy, relay.Address);
            double[] scores = new double[patients.Length];
            double[] fromEnclave = new double[patients.Length];
            List<string> outcomes = [];
            for (int k = 0; k < patients.Length; k++)
            {
                scores[k] = await client.PredictAsync(patients[k]);
                fromEnclave[k] = LogisticModel.Probability(scores[k]);
                outcomes.Add(await relay.NextOutcomeAsync(s_connectionLimit));
            }

            AttestationClaims clientView = client.Verified ?? throw new InvalidOperationException("The client's handshakes verified no certificate.");
            output.WriteLine($"  client verified the enclave's certificate in each handshake (AllowEmulated = true, AllowDebug = true, the same MRENCLAVE): {Describe(clientView)}");
            output.WriteLine($"  each patient: client -> POST /predict (its features) on a TLS 1.3 connection to the enclave -> host relays TLS records -> ECALL ServeAsync");
            output.WriteLine($"                -> 200 with the score, in TLS records -> host -> client; the enclave {string.Join(", ", outcomes.Distinct())} to all {outcomes.Count}");
            output.WriteLine("  the enclave only multiplies and adds (the score, in log-odds); the client turns the score into a probability,");
            output.WriteLine("  so the logistic function's value-dependent division and exponential run outside the enclave");
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
            // No counts: how TCP splits the TLS records (so how many OCALLs relay them) varies from run to run.
            relayed = host.Connections.Snapshot();
            output.WriteLine("  every sealed boundary message (the model file's blocks crossed in them), every payload it passed on or stored (the owner's");
            output.WriteLine("  and the enclave's certificates, the model's protected file) and every TLS byte it relayed: to and from the owner, and");
            output.WriteLine($"  on the {relayed.Count - 1} client connections (TLS records only: {(relayed.All(IsTls) ? "yes" : "NO")})");
            output.WriteLine($"  the client's features, as the client encoded each patient: found for {Found(host, patients.Select(Client.Encode))} of {patients.Length} patients");
            output.WriteLine($"  any one feature value (8 bytes): found for {Found(host, patients.SelectMany(p => p).Select(Bytes))} of {patients.Sum(p => p.Length)}");
            output.WriteLine($"  the client's HTTP requests and the enclave's answers in clear (\"POST /predict\", \"HTTP/1.1 200\"): found {Found(host, ["POST /predict"u8.ToArray(), "HTTP/1.1 200"u8.ToArray()])} times");
            output.WriteLine($"  the model, as the owner encoded it, or any one of its {model.FeatureCount + 1} parameters: found {Found(host, [model.Encode(), .. new[] { model.Bias }.Concat(model.Weights).Select(Bytes)])} times");
            output.WriteLine($"  the predictions, as scores or probabilities (8 bytes each): found for {Found(host, scores.Select(Bytes).Concat(fromEnclave.Select(Bytes)))} of {2 * fromEnclave.Length}");
        }
        finally
        {
            await engine.DisposeAsync();
        }

        output.WriteLine();
        output.WriteLine("The owner never saw a patient; the client got predictions, never weights; the host carried only ciphertext.");
        return relayed;
    }

    // The root goes to the owner out of band (a file); the owner reads it at its start, so the file goes right after.
    private static async Task<OwnerProcess> StartOwnerAsync(string trustRoot, string cvmRoot, string enclaveLibrary)
    {
        try
        {
            return await OwnerProcess.StartAsync(["--trust-root", trustRoot, "--cvm-root", cvmRoot, "--enclave-library", enclaveLibrary, "--allow-emulated", "--allow-debug"], TimeSpan.FromMinutes(1));
        }
        finally
        {
            File.Delete(trustRoot);
            File.Delete(cvmRoot);
        }
    }

    private static string Describe(AttestationClaims claims) =>
        $"{(claims.IsEmulated ? "EMULATED evidence" : "hardware evidence")}, {(claims.IsDebug ? "DEBUG enclave" : "production enclave")}, MRENCLAVE as expected{(claims is CvmEnclaveClaims cvm ? $", inside a confidential VM whose {cvm.Vm.Format.DisplayName} binds the enclave (VM measurement {Convert.ToHexStringLower(cvm.Vm.UniqueId.Span)[..16]}...)" : string.Empty)}";

    // A relayed connection is TLS when both directions start with a TLS handshake record (type 22, version 3.x).
    private static bool IsTls(RelayedConnection connection) =>
        connection.ToEnclave.AsSpan().StartsWith(new byte[] { 22, 3 }) && connection.FromEnclave.AsSpan().StartsWith(new byte[] { 22, 3 });

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
