using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EnclaveGen.AspNetCore;
using EnclaveGen.Attestation.Emulation;
using EnclaveGen.Attestation.Verification;
using EnclaveGen.Runtime.Identity;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace PrivateInference.Host;

/// <summary>
/// The model owner, in a process of its own (<c>PrivateInference owner ...</c>): it trains its model
/// and serves it as a secret release service over HTTPS on loopback (<c>MapSecretRelease</c>),
/// releasing it only to an enclave whose RA-TLS client certificate carries evidence that meets its
/// policy. It uses EnclaveGen.Attestation and ASP.NET Core, never the enclave runtime.
/// </summary>
/// <remarks>
/// Its first line on standard output is for the launcher, not the story:
/// <c>ready ADDRESS CERTIFICATE</c> (the release endpoint, and its TLS certificate in base64, which the
/// enclave pins). It serves until its standard input closes, then prints what it released.
/// </remarks>
internal static class ModelOwnerService
{
    public const string Usage = "PrivateInference owner --trust-root FILE --enclave-library FILE [--cvm-root FILE] [--allow-emulated] [--allow-debug]";

    public const string EnclaveTypeName = "PrivateInference.InferenceEngine";

    public const int TrainingSeed = 8;
    public const int TrainingPatients = 400;
    public const int Epochs = 500;
    public const double LearningRate = 0.5;

    /// <summary>The model the owner trains: the same every run (seeded), so the sample can check the enclave's predictions against it.</summary>
    public static LogisticModel Train()
    {
        (double[][] features, int[] labels) = SyntheticPatients.Generate(TrainingPatients, TrainingSeed);
        return LogisticModel.Train(features, labels, Epochs, LearningRate);
    }

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextReader input, TextWriter output)
    {
        string? trustRoot = null;
        string? cvmRoot = null;
        string? enclaveLibrary = null;
        bool allowEmulated = false;
        bool allowDebug = false;
        for (int i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--trust-root" when i + 1 < args.Count:
                    trustRoot = args[++i];
                    break;
                case "--cvm-root" when i + 1 < args.Count:
                    cvmRoot = args[++i];
                    break;
                case "--enclave-library" when i + 1 < args.Count:
                    enclaveLibrary = args[++i];
                    break;
                case "--allow-emulated":
                    allowEmulated = true;
                    break;
                case "--allow-debug":
                    allowDebug = true;
                    break;
                default:
                    await Console.Error.WriteLineAsync($"Unknown or incomplete option '{args[i]}'. Usage: {Usage}");
                    return 64;
            }
        }

        if (trustRoot is null || enclaveLibrary is null)
        {
            await Console.Error.WriteLineAsync($"--trust-root and --enclave-library are required. Usage: {Usage}");
            return 64;
        }

        LogisticModel model = Train();
        (double[][] trainingFeatures, int[] trainingLabels) = SyntheticPatients.Generate(TrainingPatients, TrainingSeed);
        byte[] mrenclave = EnclaveMeasurement.Measure(enclaveLibrary, EnclaveTypeName).Mrenclave.AsSpan().ToArray();
        // The emulated platform's roots, published by whoever runs the machine: the SGX-style quotes'
        // and, for an enclave in an emulated confidential VM, the VM reports' ARK.
        List<TrustAnchor> anchors = [.. TrustAnchor.Defaults, EmulatedAttestationAuthority.CreateTrustAnchor(await File.ReadAllBytesAsync(trustRoot))];
        if (cvmRoot is not null)
        {
            anchors.Add(TrustAnchor.ForSnp(await File.ReadAllBytesAsync(cvmRoot), "emulated SEV-SNP ARK", isEmulated: true));
        }

        AttestationVerifier verifier = new(anchors);
        AttestationPolicy policy = new() { ExpectedUniqueIds = [mrenclave], AllowEmulated = allowEmulated, AllowDebug = allowDebug };

        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using X509Certificate2 certificate = new CertificateRequest("CN=PrivateInference model owner", key, HashAlgorithmName.SHA256)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddDays(1));

        List<string> released = [];
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(certificate, https => https.AllowAttestedClientCertificates())));
        await using WebApplication app = builder.Build();
        app.MapSecretRelease("/model", policy, verifier, (peer, _) =>
        {
            lock (released)
            {
                released.Add($"released the model ({model.Encode().Length} bytes) to an enclave with {(peer.Claims.IsEmulated ? "EMULATED" : "hardware")} evidence, {(peer.Claims.IsDebug ? "DEBUG" : "production")}, the expected MRENCLAVE{(peer.Claims.Format.Family == "cvm" ? ", inside a confidential VM whose report binds it" : string.Empty)}");
            }

            return ValueTask.FromResult(model.Encode());
        });
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        await output.WriteLineAsync($"ready {address.TrimEnd('/')}/model {Convert.ToBase64String(certificate.RawData)}");
        await output.FlushAsync();

        await output.WriteLineAsync($"trained a logistic regression on {TrainingPatients} synthetic patients (seed {TrainingSeed}), {Epochs} epochs: training accuracy {model.Accuracy(trainingFeatures, trainingLabels).ToString("P1", CultureInfo.InvariantCulture)}");
        await output.WriteLineAsync($"serving it with MapSecretRelease over HTTPS (TLS 1.3) on loopback; policy: the MRENCLAVE measured from {Path.GetFileName(enclaveLibrary)}{(allowEmulated ? ", ALLOWS EMULATED evidence" : "")}{(allowDebug ? ", ALLOWS a DEBUG enclave" : "")}");
        await input.ReadToEndAsync();   // the launcher closes standard input to stop the service
        await app.StopAsync();
        lock (released)
        {
            foreach (string line in released.DefaultIfEmpty("released nothing"))
            {
                output.WriteLine(line);
            }
        }

        return 0;
    }
}
