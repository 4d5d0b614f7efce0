using System.Buffers.Binary;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using EnclaveGen;
using EnclaveGen.Runtime.ProtectedFiles;

namespace PrivateInference;

/// <summary>
/// Runs a logistic-regression model on a client's features without either side seeing the
/// other's data. The model owner releases the weights to it over attested TLS (its secret release
/// service checks this enclave's RA-TLS client certificate); the enclave
/// keeps them in a protected file sealed to its own MRENCLAVE, so a restart needs no owner, and
/// reads each weight from it by position when it predicts (a model larger than memory works the
/// same way). A client speaks HTTPS to it: TLS terminates in here, with a key and an RA-TLS
/// certificate made in here, so the client's HttpClient checks this enclave's evidence in the
/// handshake before it sends a feature. The host relays and stores only ciphertext.
/// </summary>
/// <remarks>
/// Wire formats (little-endian): the model, as the owner releases it, is the feature count
/// (int32), the bias and one weight per feature (float64), and its protected file holds the same
/// bytes. A client's request is one per connection: <c>POST /predict</c> with one float64 per
/// feature (<c>application/octet-stream</c>) → 200 with the model's score, the log-odds of the
/// positive class (float64); 400 with a text reason for a request it does not read, 404 for
/// another path, 409 before a model is loaded. The client turns the score into a probability
/// itself: the logistic function's division and exponential take a value-dependent time, so they
/// stay out of the enclave, which only multiplies and adds.
/// </remarks>
[Enclave]
public partial class InferenceEngine
{
    /// <summary>The protected file the model lives in, sealed to this enclave build (MRENCLAVE).</summary>
    public const string ModelFileName = "model-v1.bin";

    /// <summary>The most features a model (and so a request) has.</summary>
    public const int MaxFeatures = 4096;

    private const string TextPlain = "text/plain; charset=utf-8";

    // The host may serve several connections at once (one async ECALL each): predictions move the
    // model file's position, so one at a time.
    private readonly Lock _gate = new();

    private X509Certificate2? _certificate;

    [Secret]
    private double _bias;

    // The model's shape is public: a client must know how many features to send.
    private int _featureCount;

    // Kept open between ECALLs: Predict reads each weight where it lies (its block stays in the file's cache).
    private ProtectedFileStream? _model;

    /// <summary>Makes the enclave's TLS key and its RA-TLS certificate, inside; returns the certificate (public).</summary>
    [Trusted]
    public byte[] CreateCertificate()
    {
        lock (_gate)
        {
            _certificate?.Dispose();
            _certificate = EnclaveTlsCertificate.Create("CN=PrivateInference enclave");
            return _certificate.RawData;
        }
    }

    /// <summary>
    /// Serves one connection the host accepted and relays (<see cref="ReceiveAsync"/>, <see cref="SendAsync"/>):
    /// the TLS 1.3 handshake, one request, one answer. Returns the HTTP status it answered with
    /// (public: the host sees the connection end anyway).
    /// </summary>
    /// <exception cref="IOException">The client closed the connection before sending a request (a client whose policy refused this enclave's certificate does).</exception>
    [Trusted]
    public async Task<int> ServeAsync(int connection)
    {
        X509Certificate2 certificate = _certificate ?? throw new InvalidOperationException("Call CreateCertificate before serving connections.");
        await using SslStream tls = await EnclaveHttp.AcceptTlsAsync(new HostRelayStream(max => ReceiveAsync(connection, max), records => SendAsync(connection, records)), certificate);

        EnclaveHttpRequest request;
        try
        {
            request = await EnclaveHttp.ReadRequestAsync(tls, MaxFeatures * sizeof(double));
        }
        catch (FormatException malformed)
        {
            await EnclaveHttp.WriteResponseAsync(tls, 400, "Bad Request", TextPlain, Encoding.UTF8.GetBytes(malformed.Message));
            return 400;
        }

        if (request.Method != "POST" || request.Path != "/predict")
        {
            await EnclaveHttp.WriteResponseAsync(tls, 404, "Not Found", TextPlain, Encoding.UTF8.GetBytes($"The enclave answers POST /predict only; got {request.Method} {request.Path}."));
            return 404;
        }

        byte[] score;
        try
        {
            score = Predict(request.Body);
        }
        catch (InvalidOperationException notReady)
        {
            await EnclaveHttp.WriteResponseAsync(tls, 409, "Conflict", TextPlain, Encoding.UTF8.GetBytes(notReady.Message));
            return 409;
        }
        catch (InvalidDataException malformed)
        {
            await EnclaveHttp.WriteResponseAsync(tls, 400, "Bad Request", TextPlain, Encoding.UTF8.GetBytes(malformed.Message));
            return 400;
        }

        await EnclaveHttp.WriteResponseAsync(tls, 200, "OK", "application/octet-stream", score);
        return 200;
    }

    /// <summary>
    /// Fetches the model from the model owner's secret release service, over attested TLS that ends
    /// here (the host opened <paramref name="connection"/> to the owner and relays its bytes), and
    /// writes it to the protected file sealed to this enclave's MRENCLAVE. Returns the file's name.
    /// </summary>
    /// <param name="connection">The host's connection to the owner, relayed by <see cref="ReceiveAsync"/> and <see cref="SendAsync"/>.</param>
    /// <param name="ownerAddress">The owner's release endpoint (https).</param>
    /// <param name="ownerCertificate">
    /// The owner's TLS certificate, pinned. It comes from the host here, which a hostile host could
    /// swap for its own service's (and hand the enclave a model of its choosing); a production
    /// enclave carries its owner's certificate in its measured code (docs/attested-tls.md).
    /// </param>
    [Trusted]
    public async Task<string> ProvisionModelAsync(int connection, string ownerAddress, byte[] ownerCertificate)
    {
        using X509Certificate2 owner = X509CertificateLoader.LoadCertificate(ownerCertificate);
        byte[] model = await EnclaveSecretRelease.RequestAsync(
            new Uri(ownerAddress),
            new HostRelayStream(max => ReceiveAsync(connection, max), records => SendAsync(connection, records)),
            owner);
        Store(model);
        return ModelFileName;
    }

    [Untrusted] private static partial Task<byte[]> ReceiveAsync(int connection, int maxBytes);

    [Untrusted] private static partial Task SendAsync(int connection, byte[] records);

    /// <summary>Writes the released model (secret: it came over attested TLS) to its protected file, and opens it.</summary>
    private void Store([Secret] byte[] model)
    {
        Shape(model.Length, model);
        _model?.Dispose();
        _model = null;
        using (ProtectedFileStream file = EnclaveFiles.Open(ModelFileName, FileMode.Create, SealingPolicy.MrEnclave))
        {
            file.Write(model);
        }

        CryptographicOperations.ZeroMemory(model);
        OpenModel();
    }

    /// <summary>After a restart: opens the model's protected file, which only this enclave build can. Returns the number of features.</summary>
    [Trusted]
    public int LoadStoredModel()
    {
        OpenModel();
        return _featureCount;
    }

    /// <summary>The number of features the loaded model takes (0 when none is loaded).</summary>
    [Trusted]
    public int FeatureCount() => _featureCount;

    /// <summary>
    /// A client's features (decrypted by TLS in here: secret) in, the model's score (the log-odds;
    /// secret, it goes back inside the client's TLS session) out.
    /// </summary>
    private byte[] Predict([Secret] byte[] features)
    {
        lock (_gate)
        {
            if (_featureCount == 0)
            {
                throw new InvalidOperationException("No model is loaded: provision one or load the stored model first.");
            }

            int length = Secrets.Declassify(features.Length, "a request's length shows on the wire anyway");
            if (length != _featureCount * sizeof(double))
            {
                throw new InvalidDataException($"A request holds {_featureCount} features ({_featureCount * sizeof(double)} bytes); this one has {length} bytes.");
            }

            // The same arithmetic, in the same order, as the owner's plaintext model: multiply and add
            // only, no branch and no division on the data. Each weight is read from the model's file at
            // its position (random access), so the model need not fit in the enclave's memory.
            ProtectedFileStream model = _model ?? throw new InvalidOperationException("No model file is open.");
            Span<byte> weight = stackalloc byte[sizeof(double)];
            double score = _bias;
            for (int i = 0; i < _featureCount; i++)
            {
                model.Position = ParameterOffset(i + 1);
                model.ReadExactly(weight);
                score += BinaryPrimitives.ReadDoubleLittleEndian(weight) * BinaryPrimitives.ReadDoubleLittleEndian(features.AsSpan(i * sizeof(double)));
            }

            CryptographicOperations.ZeroMemory(weight);
            CryptographicOperations.ZeroMemory(features);
            byte[] reply = new byte[sizeof(double)];
            BinaryPrimitives.WriteDoubleLittleEndian(reply, score);
            return reply;
        }
    }

    // Parameter 0 is the bias, parameter i the weight of feature i - 1; they follow the feature count.
    private static long ParameterOffset(int parameter) => 4 + ((long)parameter * sizeof(double));

    /// <summary>Opens the model's file for reading and takes its shape and bias; the weights stay in the file.</summary>
    private void OpenModel()
    {
        _model?.Dispose();
        _model = null;
        ProtectedFileStream file = EnclaveFiles.Open(ModelFileName, FileMode.Open, FileAccess.Read, SealingPolicy.MrEnclave);
        try
        {
            byte[] head = new byte[ParameterOffset(1)];
            file.ReadExactly(head);
            _featureCount = Shape(file.Length, head);
            _bias = BinaryPrimitives.ReadDoubleLittleEndian(head.AsSpan(4));
            _model = file;
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>The model's feature count, from its first bytes, checked against its length.</summary>
    private static int Shape(long length, byte[] head)
    {
        long size = Secrets.Declassify(length, "the model's size shows in its ciphertext anyway");
        int count = size >= 4
            ? Secrets.Declassify(BinaryPrimitives.ReadInt32LittleEndian(head), "the model's shape is public: clients must know it")
            : -1;
        if (count is < 1 or > MaxFeatures || size != ParameterOffset(count + 1))
        {
            throw new InvalidDataException($"A model is a feature count (1 to {MaxFeatures}), a bias and one weight per feature; got {size} bytes.");
        }

        return count;
    }
}
