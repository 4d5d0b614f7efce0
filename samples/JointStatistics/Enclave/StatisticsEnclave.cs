using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using EnclaveGen;

namespace JointStatistics;

/// <summary>
/// Pools the values of several parties and releases only statistics over all of them. The enclave
/// terminates TLS inside: it makes its TLS key and an RA-TLS certificate whose evidence binds that
/// key, and serves HTTPS over bytes the host relays (two OCALLs), so each party's ordinary
/// HttpClient checks the evidence during the handshake and sends its values only to this enclave.
/// Each party's request is answered, on its own connection, once every party has submitted: with
/// the aggregate. What the host learns: how many connections, their sizes and timing.
/// </summary>
/// <remarks>
/// One request per connection: <c>POST /parties/{party}/submit</c> with the party's values
/// (<c>application/octet-stream</c>, little-endian int64s) → 200 with the 37-byte aggregate;
/// 409 with a text reason when the enclave refuses (a taken seat, a malformed submission), 504 when
/// the other parties do not submit in time.
/// </remarks>
[Enclave]
public partial class StatisticsEnclave
{
    /// <summary>How many parties must submit before the aggregate is released (fewer would let one party's values show through).</summary>
    public const int RequiredParties = 3;

    /// <summary>The aggregate counts the values strictly above this. Fixed in code, so MRENCLAVE pins it.</summary>
    public const long Threshold = 100_000;

    /// <summary>The most values one party may send.</summary>
    public const int MaxValuesPerParty = 1_000;

    /// <summary>How long a party's request waits for the others (liveness only: host time decides nothing else).</summary>
    public static readonly TimeSpan SubmissionWindow = TimeSpan.FromMinutes(2);

    private const int MaxPartyNameLength = 32;

    // The host may serve several connections at once (one async ECALL each): one lock keeps the
    // enclave's state consistent whatever it does.
    private readonly Lock _gate = new();
    private readonly HashSet<string> _submitted = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource<byte[]> _aggregateReady = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private X509Certificate2? _certificate;

    // Everyone's values, pooled: secret (they came in on attested TLS), never leave the enclave,
    // and are erased once the aggregate is computed.
    private readonly List<long> _values = new();

    /// <summary>Makes the enclave's TLS key and its RA-TLS certificate, inside; returns the certificate (public).</summary>
    [Trusted]
    public byte[] CreateCertificate()
    {
        lock (_gate)
        {
            _certificate?.Dispose();
            _certificate = EnclaveTlsCertificate.Create("CN=JointStatistics enclave");
            return _certificate.RawData;
        }
    }

    /// <summary>
    /// Serves one connection the host accepted: the TLS 1.3 handshake, one request, one answer.
    /// Returns how many parties have submitted so far (public: the host sees the connections).
    /// </summary>
    [Trusted]
    public async Task<int> ServeAsync(int connection)
    {
        X509Certificate2 certificate = _certificate ?? throw new InvalidOperationException("Call CreateCertificate before serving connections.");
        await using SslStream tls = await EnclaveHttp.AcceptTlsAsync(new HostRelayStream(max => ReceiveAsync(connection, max), records => SendAsync(connection, records)), certificate);

        EnclaveHttpRequest request;
        try
        {
            request = await EnclaveHttp.ReadRequestAsync(tls, MaxValuesPerParty * sizeof(long));
        }
        catch (FormatException malformed)
        {
            await EnclaveHttp.WriteResponseAsync(tls, 400, "Bad Request", "text/plain; charset=utf-8", Encoding.UTF8.GetBytes(malformed.Message));
            return SubmittedCount();
        }

        string[] path = request.Path.Split('/');
        if (request.Method != "POST" || path is not ["", "parties", _, "submit"])
        {
            await EnclaveHttp.WriteResponseAsync(tls, 404, "Not Found", "text/plain; charset=utf-8", Encoding.UTF8.GetBytes($"The enclave answers POST /parties/{{party}}/submit only; got {request.Method} {request.Path}."));
            return SubmittedCount();
        }

        int submitted;
        try
        {
            submitted = Submit(Uri.UnescapeDataString(path[2]), request.Body);
        }
        catch (ArgumentException refused)
        {
            await EnclaveHttp.WriteResponseAsync(tls, 409, "Conflict", "text/plain; charset=utf-8", Encoding.UTF8.GetBytes(refused.Message));
            return SubmittedCount();
        }

        byte[] aggregate;
        try
        {
            aggregate = await _aggregateReady.Task.WaitAsync(SubmissionWindow);
        }
        catch (TimeoutException)
        {
            await EnclaveHttp.WriteResponseAsync(tls, 504, "Gateway Timeout", "text/plain; charset=utf-8", Encoding.UTF8.GetBytes($"Not every party submitted within {SubmissionWindow.TotalMinutes:0} minutes."));
            return submitted;
        }

        await EnclaveHttp.WriteResponseAsync(tls, 200, "OK", "application/octet-stream", aggregate);
        return submitted;
    }

    [Untrusted] private static partial Task<byte[]> ReceiveAsync(int connection, int maxBytes);

    [Untrusted] private static partial Task SendAsync(int connection, byte[] records);

    /// <summary>
    /// A party's values (little-endian int64s), decrypted by TLS inside the enclave: secret. Returns
    /// how many parties have submitted so far.
    /// </summary>
    private int Submit(string party, [Secret] byte[] inputs)
    {
        ValidatePartyName(party);
        lock (_gate)
        {
            if (_submitted.Contains(party))
            {
                throw new ArgumentException($"Party '{party}' has already submitted.", nameof(party));
            }

            if (_submitted.Count == RequiredParties)
            {
                throw new ArgumentException($"All {RequiredParties} seats are taken.", nameof(party));
            }

            int length = Secrets.Declassify(inputs.Length, "the host sees the TLS record's size anyway: it is the plaintext's plus a fixed overhead");
            if (length == 0 || length % sizeof(long) != 0 || length / sizeof(long) > MaxValuesPerParty)
            {
                throw new ArgumentException($"A submission is 1 to {MaxValuesPerParty} int64 values ({sizeof(long)} bytes each); got {length} bytes.", nameof(inputs));
            }

            for (int offset = 0; offset < length; offset += sizeof(long))
            {
                _values.Add(BinaryPrimitives.ReadInt64LittleEndian(inputs.AsSpan(offset)));
            }

            CryptographicOperations.ZeroMemory(inputs);
            _submitted.Add(party);
            if (_submitted.Count == RequiredParties)
            {
                _aggregateReady.SetResult(ComputeAggregate());
            }

            return _submitted.Count;
        }
    }

    private int SubmittedCount()
    {
        lock (_gate)
        {
            int count = _submitted.Count;
            return count;
        }
    }

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
