using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EnclaveGen;
using EnclaveGen.Attestation.Channel;
using EnclaveGen.Runtime.ProtectedFiles;

namespace PrivateInference;

/// <summary>
/// Runs a logistic-regression model on a client's features without either side seeing the
/// other's data. The model owner releases the weights to it over attested TLS (its secret release
/// service checks this enclave's RA-TLS client certificate); the enclave
/// keeps them in a protected file sealed to its own MRENCLAVE, so a restart needs no owner, and
/// reads each weight from it by position when it predicts (a model larger than memory works the
/// same way); a client sends features over its own attested channel and gets the prediction back
/// on it. The host relays and stores only ciphertext.
/// </summary>
/// <remarks>
/// Wire formats (little-endian): the model, as the owner releases it, is the feature count
/// (int32), the bias and one weight per feature (float64), and its protected file holds the same
/// bytes; a client's request, inside its channel record, is one float64 per feature;
/// a prediction is the model's score, the log-odds of the positive class (float64). The client
/// turns the score into a probability itself: the logistic function's division and exponential
/// take a value-dependent time, so they stay out of the enclave, which only multiplies and adds.
/// </remarks>
[Enclave]
public partial class InferenceEngine
{
    private readonly Dictionary<Party, AttestedChannelOffer> _offers = [];
    private readonly Dictionary<Party, AttestedSession> _sessions = [];

    /// <summary>The protected file the model lives in, sealed to this enclave build (MRENCLAVE).</summary>
    public const string ModelFileName = "model-v1.bin";

    [Secret]
    private double _bias;

    // The model's shape is public: a client must know how many features to send.
    private int _featureCount;

    // Kept open between ECALLs: Predict reads each weight where it lies (its block stays in the file's cache).
    private ProtectedFileStream? _model;

    /// <summary>Step 1 of a channel: a quote that binds a fresh key (and the party's nonce, for freshness).</summary>
    [Trusted]
    public ChannelOffer Offer(Party party, byte[] nonce)
    {
        if (_offers.Remove(party, out AttestedChannelOffer? previous))
        {
            previous.Dispose();
        }

        AttestedChannelOffer offer = AttestedChannelOffer.Create(nonce);
        _offers[party] = offer;
        return new ChannelOffer(offer.Quote, offer.PublicKey.ToArray());
    }

    /// <summary>Step 2: the party verified the quote and answers with its own key; the session exists only in here.</summary>
    [Trusted]
    public void Accept(Party party, byte[] partyPublicKey)
    {
        if (!_offers.Remove(party, out AttestedChannelOffer? offer))
        {
            throw new InvalidOperationException($"No channel offer is open for {party}: call Offer first.");
        }

        using (offer)
        {
            if (_sessions.Remove(party, out AttestedSession? previous))
            {
                previous.Dispose();
            }

            _sessions[party] = offer.Accept(partyPublicKey);
        }
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

    /// <summary>A client's encrypted features in, its encrypted prediction (the score, in log-odds) out.</summary>
    [Trusted]
    public byte[] Predict(byte[] record)
    {
        AttestedSession client = Session(Party.Client);
        if (_featureCount == 0)
        {
            throw new InvalidOperationException("No model is loaded: provision one or load the stored model first.");
        }

        byte[] request = client.Open(record);
        int length = Secrets.Declassify(request.Length, "a record's length shows on the wire anyway");
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
            score += BinaryPrimitives.ReadDoubleLittleEndian(weight) * BinaryPrimitives.ReadDoubleLittleEndian(request.AsSpan(i * sizeof(double)));
        }

        CryptographicOperations.ZeroMemory(weight);

        CryptographicOperations.ZeroMemory(request);
        byte[] reply = new byte[sizeof(double)];
        BinaryPrimitives.WriteDoubleLittleEndian(reply, score);
        return client.Seal(reply);
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
        if (count is < 1 or > 4096 || size != ParameterOffset(count + 1))
        {
            throw new InvalidDataException($"A model is a feature count (1 to 4096), a bias and one weight per feature; got {size} bytes.");
        }

        return count;
    }

    private AttestedSession Session(Party party) =>
        _sessions.TryGetValue(party, out AttestedSession? session)
            ? session
            : throw new InvalidOperationException($"No attested channel with the {party}: Offer and Accept first.");
}
