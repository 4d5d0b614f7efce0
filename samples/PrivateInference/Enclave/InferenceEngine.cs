using System.Buffers.Binary;
using System.Security.Cryptography;
using EnclaveGen;
using EnclaveGen.Attestation.Channel;

namespace PrivateInference;

/// <summary>
/// Runs a logistic-regression model on a client's features without either side seeing the
/// other's data. The model owner provisions the weights over an attested channel; the enclave
/// seals them to its own MRENCLAVE so a restart needs no owner; a client sends features over its
/// own attested channel and gets the prediction back on it. The host relays and stores only
/// ciphertext.
/// </summary>
/// <remarks>
/// Wire formats inside the channel records (little-endian): the model is the feature count
/// (int32), the bias and one weight per feature (float64); a request is one float64 per feature;
/// a prediction is the model's score, the log-odds of the positive class (float64). The client
/// turns the score into a probability itself: the logistic function's division and exponential
/// take a value-dependent time, so they stay out of the enclave, which only multiplies and adds.
/// </remarks>
[Enclave]
public partial class InferenceEngine
{
    private readonly Dictionary<Party, AttestedChannelOffer> _offers = [];
    private readonly Dictionary<Party, AttestedSession> _sessions = [];

    [Secret]
    private double[] _weights = [];

    [Secret]
    private double _bias;

    // The model's shape is public: a client must know how many features to send.
    private int _featureCount;

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
    /// The model owner's encrypted model arrives; the enclave keeps it, seals it to its MRENCLAVE
    /// for the host to store, and tells the owner (on the channel) the hash of what it holds.
    /// </summary>
    [Trusted]
    public ProvisionReceipt ProvisionModel(byte[] record)
    {
        AttestedSession owner = Session(Party.ModelOwner);
        byte[] model = owner.Open(record);
        Load(model);
        byte[] sealedModel = EnclaveSealing.Seal(model, SealingPolicy.MrEnclave, SealingLabel);
        byte[] ownerRecord = owner.Seal(SHA256.HashData(model));
        CryptographicOperations.ZeroMemory(model);
        return new ProvisionReceipt(sealedModel, ownerRecord);
    }

    /// <summary>After a restart: opens the model this enclave build sealed earlier. Returns the number of features.</summary>
    [Trusted]
    public int LoadSealedModel(byte[] sealedModel)
    {
        byte[] model = EnclaveSealing.Unseal(sealedModel, SealingLabel);
        Load(model);
        CryptographicOperations.ZeroMemory(model);
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
            throw new InvalidOperationException("No model is loaded: provision one or load the sealed model first.");
        }

        byte[] request = client.Open(record);
        int length = Secrets.Declassify(request.Length, "a record's length shows on the wire anyway");
        if (length != _featureCount * sizeof(double))
        {
            throw new InvalidDataException($"A request holds {_featureCount} features ({_featureCount * sizeof(double)} bytes); this one has {length} bytes.");
        }

        // The same arithmetic, in the same order, as the owner's plaintext model: multiply and add
        // only, no branch and no division on the data.
        double score = _bias;
        for (int i = 0; i < _featureCount; i++)
        {
            score += _weights[i] * BinaryPrimitives.ReadDoubleLittleEndian(request.AsSpan(i * sizeof(double)));
        }

        CryptographicOperations.ZeroMemory(request);
        byte[] reply = new byte[sizeof(double)];
        BinaryPrimitives.WriteDoubleLittleEndian(reply, score);
        return client.Seal(reply);
    }

    // The model's sealing is bound to its format and version.
    private static ReadOnlySpan<byte> SealingLabel => "EnclaveGen sample PrivateInference model v1"u8;

    private void Load(byte[] model)
    {
        int length = Secrets.Declassify(model.Length, "the model's size shows in its ciphertext anyway");
        int count = length >= 4
            ? Secrets.Declassify(BinaryPrimitives.ReadInt32LittleEndian(model), "the model's shape is public: clients must know it")
            : -1;
        if (count is < 1 or > 4096 || length != 4 + ((count + 1) * sizeof(double)))
        {
            throw new InvalidDataException($"A model is a feature count (1 to 4096), a bias and one weight per feature; got {length} bytes.");
        }

        double[] weights = new double[count];
        for (int i = 0; i < count; i++)
        {
            weights[i] = BinaryPrimitives.ReadDoubleLittleEndian(model.AsSpan(4 + ((i + 1) * sizeof(double))));
        }

        _bias = BinaryPrimitives.ReadDoubleLittleEndian(model.AsSpan(4));
        _weights = weights;
        _featureCount = count;
    }

    private AttestedSession Session(Party party) =>
        _sessions.TryGetValue(party, out AttestedSession? session)
            ? session
            : throw new InvalidOperationException($"No attested channel with the {party}: Offer and Accept first.");
}
