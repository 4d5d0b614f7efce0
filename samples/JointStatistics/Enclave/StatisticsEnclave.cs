using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using EnclaveGen;
using EnclaveGen.Attestation.Channel;

namespace JointStatistics;

/// <summary>
/// Pools the values of several parties and releases only statistics over all of them. Each party
/// has its own attested channel into the enclave: the enclave makes a key pair and a quote that
/// binds it (and the party's nonce), the party verifies the quote before it sends anything, and
/// its values arrive encrypted under that channel's key, which the host never has. The aggregate
/// is computed only once every party has submitted, and goes back sealed to each party on its own
/// channel. What the host learns: party names, message sizes and how many have submitted.
/// </summary>
[Enclave]
public partial class StatisticsEnclave
{
    /// <summary>How many parties must submit before the aggregate is released (fewer would let one party's values show through).</summary>
    public const int RequiredParties = 3;

    /// <summary>The aggregate counts the values strictly above this. Fixed in code, so MRENCLAVE pins it.</summary>
    public const long Threshold = 100_000;

    /// <summary>The most values one party may send.</summary>
    public const int MaxValuesPerParty = 1_000;

    private const int MaxPartyNameLength = 32;

    // The host may call from several threads at once (one per HTTP request): one lock keeps the
    // enclave's state consistent whatever it does.
    private readonly Lock _gate = new();
    private readonly Dictionary<string, AttestedChannelOffer> _offers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AttestedSession> _sessions = new(StringComparer.Ordinal);
    private readonly HashSet<string> _seats = new(StringComparer.Ordinal);
    private readonly HashSet<string> _submitted = new(StringComparer.Ordinal);
    private readonly HashSet<string> _delivered = new(StringComparer.Ordinal);

    // Everyone's values, pooled: secret (they came in on attested channels), never leave the
    // enclave, and are erased once the aggregate is computed.
    private readonly List<long> _values = new();
    private byte[]? _aggregate;

    /// <summary>
    /// Step 1 for a party: a fresh channel key for it and a quote binding that key and the party's
    /// nonce (16 to 32 bytes). One offer per party, so each party's channel is its own.
    /// </summary>
    [Trusted]
    public ChannelOffer OpenChannel(string party, byte[] nonce)
    {
        ValidatePartyName(party);
        if (nonce.Length is < 16 or > 32)
        {
            throw new ArgumentException($"A nonce is 16 to 32 bytes; got {nonce.Length}.", nameof(nonce));
        }

        lock (_gate)
        {
            if (_seats.Contains(party))
            {
                throw new InvalidOperationException($"Party '{party}' already has a channel; each party gets one.");
            }

            if (_seats.Count == RequiredParties)
            {
                throw new InvalidOperationException($"All {RequiredParties} seats are taken.");
            }

            AttestedChannelOffer offer = AttestedChannelOffer.Create(nonce);
            _offers[party] = offer;
            _seats.Add(party);
            return new ChannelOffer(offer.Quote, offer.PublicKey.ToArray());
        }
    }

    /// <summary>Step 2: the party verified the quote and answers with its own public key; the channel is open.</summary>
    [Trusted]
    public void AcceptChannel(string party, byte[] partyPublicKey)
    {
        lock (_gate)
        {
            if (!_offers.Remove(party, out AttestedChannelOffer? offer))
            {
                throw new InvalidOperationException($"Party '{party}' has no pending channel offer.");
            }

            using (offer)
            {
                _sessions[party] = offer.Accept(partyPublicKey);
            }
        }
    }

    /// <summary>
    /// Step 3: the party's values, as one record on its channel (little-endian int64s). Returns how
    /// many parties have submitted so far (public: the host sees the submissions arrive).
    /// </summary>
    [Trusted]
    public int Submit(string party, byte[] record)
    {
        lock (_gate)
        {
            AttestedSession session = SessionOf(party);
            if (_submitted.Contains(party))
            {
                throw new InvalidOperationException($"Party '{party}' has already submitted.");
            }

            byte[] inputs = session.Open(record);
            int length = Secrets.Declassify(inputs.Length, "the host sees the record's size anyway: it is the plaintext's plus a fixed overhead");
            if (length == 0 || length % sizeof(long) != 0 || length / sizeof(long) > MaxValuesPerParty)
            {
                throw new ArgumentException($"A submission is 1 to {MaxValuesPerParty} int64 values ({sizeof(long)} bytes each); got {length} bytes.", nameof(record));
            }

            for (int offset = 0; offset < length; offset += sizeof(long))
            {
                _values.Add(BinaryPrimitives.ReadInt64LittleEndian(inputs.AsSpan(offset)));
            }

            CryptographicOperations.ZeroMemory(inputs);
            _submitted.Add(party);
            if (_submitted.Count == RequiredParties)
            {
                _aggregate = ComputeAggregate();
            }

            return _submitted.Count;
        }
    }

    /// <summary>Step 4: the aggregate, sealed to this party on its own channel; once every party has submitted, and once per party.</summary>
    [Trusted]
    public byte[] SealedResult(string party)
    {
        lock (_gate)
        {
            AttestedSession session = SessionOf(party);
            if (_aggregate is null)
            {
                throw new InvalidOperationException($"The aggregate is released once all {RequiredParties} parties have submitted; {_submitted.Count} have.");
            }

            if (!_delivered.Add(party))
            {
                throw new InvalidOperationException($"Party '{party}' has already received the aggregate.");
            }

            byte[] sealedResult = session.Seal(_aggregate);
            session.Dispose();
            return sealedResult;
        }
    }

    private AttestedSession SessionOf(string party) =>
        _sessions.TryGetValue(party, out AttestedSession? session) && !_delivered.Contains(party)
            ? session
            : throw new InvalidOperationException($"Party '{party}' has no open channel.");

    private byte[] ComputeAggregate()
    {
        long[] sorted = [.. _values];
        CollectionsMarshal.AsSpan(_values).Clear();
        _values.Clear();
        ObliviousSort(sorted);

        int count = sorted.Length;
        Int128 sum = 0;
        int above = 0;
        foreach (long value in sorted)
        {
            sum += value;
            above += Convert.ToInt32(value > Threshold);   // no branch on a value (EG4001)
        }

        double median = count % 2 == 1 ? sorted[count / 2] : (sorted[(count / 2) - 1] + (double)sorted[count / 2]) / 2;
        byte[] aggregate = new StatisticsAggregate(RequiredParties, count, (double)sum / count, median, Threshold, above).ToBytes();
        CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(sorted.AsSpan()));
        return aggregate;
    }

    /// <summary>
    /// Odd-even transposition sort with a branch-free compare-and-swap: the same comparisons, memory
    /// accesses and instructions whatever the values are, so its timing does not depend on them (a
    /// library sort branches on the data). Quadratic, which is fine for a few thousand values.
    /// </summary>
    private static void ObliviousSort(long[] values)
    {
        for (int round = 0; round < values.Length; round++)
        {
            for (int i = round & 1; i + 1 < values.Length; i += 2)
            {
                long a = values[i];
                long b = values[i + 1];
                long swap = -Convert.ToInt64(a > b);   // all ones when the pair is out of order
                long difference = (a ^ b) & swap;
                values[i] = a ^ difference;
                values[i + 1] = b ^ difference;
            }
        }
    }

    private static void ValidatePartyName(string party)
    {
        if (party.Length is 0 or > MaxPartyNameLength || !party.All(char.IsAsciiLetterOrDigit))
        {
            throw new ArgumentException($"A party name is 1 to {MaxPartyNameLength} ASCII letters or digits; got '{party}'.", nameof(party));
        }
    }
}
