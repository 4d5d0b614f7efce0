using BenchmarkDotNet.Attributes;
using EnclaveGen.Runtime.Crypto;

namespace EnclaveGen.Benchmarks.Marshalling;

/// <summary>
/// One in-process ECALL round trip per type kind (two seals, two opens, marshalling both ways and
/// slot handling), next to one raw seal of 64 bytes and the AEAD share of a small round trip
/// (seal and open, each way) with the AEAD the runtime uses. Allocated bytes include the objects
/// the host and the enclave must create for the values (a string, an array, a list, a record);
/// primitives and spans allocate nothing.
/// </summary>
[MemoryDiagnoser]
public class MarshallingBenchmarks
{
    private readonly byte[] _key = new byte[32];
    private readonly byte[] _nonce = new byte[12];
    private readonly byte[] _header = new byte[16];
    private readonly byte[] _plaintext = new byte[64];
    private readonly byte[] _ciphertext = new byte[64];
    private readonly byte[] _tag = new byte[16];
    private readonly byte[] _bytes64 = new byte[64];
    private readonly byte[] _span64 = new byte[64];
    private readonly byte[] _out64 = new byte[64];
    private readonly int[] _ints1024 = new int[1024];
    private string _string64 = "";
    private List<string> _list16 = [];
    private Dictionary<string, int> _dictionary16 = [];
    private Order _order = null!;
    private IBoundaryAead _aead = null!;
    private MarshalEnclave.Proxy _enclave = null!;

    [GlobalSetup]
    public void Setup()
    {
        Random random = new(42);
        random.NextBytes(_key);
        random.NextBytes(_bytes64);
        random.NextBytes(_span64);
        for (int i = 0; i < _ints1024.Length; i++)
        {
            _ints1024[i] = random.Next();
        }

        _string64 = new string('s', 64);
        _list16 = [.. Enumerable.Range(0, 16).Select(i => $"item-{i:D3}-of-the-list")];
        _dictionary16 = Enumerable.Range(0, 16).ToDictionary(i => $"key-{i:D3}", i => i);
        _order = new Order(
            "ORD-2026-000042",
            new Customer("Ada Lovelace", new PostalAddress("12 St James's Square", "London", null)),
            [new OrderLine("SKU-1", 2, 9.99m), new OrderLine("SKU-2", 1, 149.00m), new OrderLine("SKU-3", 5, 0.25m)],
            170.23m);
        _aead = BoundaryAead.Create(_key);
        _enclave = MarshalEnclave.CreateEnclaveAsync(new MarshalHost(), new EnclaveOptions()).AsTask().GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _enclave.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _aead.Dispose();
    }

    [Benchmark(Baseline = true, Description = "raw AEAD seal, 64 B")]
    public void RawSeal64() => _aead.Seal(_nonce, _plaintext, _ciphertext, _tag, _header);

    [Benchmark(Description = "raw AEAD seal+open x2, 64 B")]
    public bool RawRoundTrip64()
    {
        _aead.Seal(_nonce, _plaintext, _ciphertext, _tag, _header);
        bool ok = _aead.Open(_nonce, _ciphertext, _tag, _plaintext, _header);
        _aead.Seal(_nonce, _plaintext, _ciphertext, _tag, _header);
        return ok & _aead.Open(_nonce, _ciphertext, _tag, _plaintext, _header);
    }

    [Benchmark(Description = "int")]
    public int Int32() => _enclave.EchoInt32(42);

    [Benchmark(Description = "string, 64 chars")]
    public string String64() => _enclave.EchoString(_string64);

    [Benchmark(Description = "byte[64]")]
    public byte[] Bytes64() => _enclave.EchoBytes(_bytes64);

    [Benchmark(Description = "int[1024] (bulk)")]
    public int[] Ints1024() => _enclave.EchoInts(_ints1024);

    [Benchmark(Description = "List<string> x16")]
    public List<string> ListOfStrings16() => _enclave.EchoList(_list16);

    [Benchmark(Description = "Dictionary<string,int> x16")]
    public Dictionary<string, int> Dictionary16() => _enclave.EchoDictionary(_dictionary16);

    [Benchmark(Description = "record, nested")]
    public Order NestedRecord() => _enclave.EchoOrder(_order);

    [Benchmark(Description = "ReadOnlySpan<byte> 64, in")]
    public int SpanIn64() => _enclave.Checksum(_span64);

    [Benchmark(Description = "[Out] Span<byte> 64")]
    public byte OutSpan64()
    {
        _enclave.Fill(_out64);
        return _out64[0];
    }
}
