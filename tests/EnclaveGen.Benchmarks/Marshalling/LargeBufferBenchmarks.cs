using BenchmarkDotNet.Attributes;
using EnclaveGen.Runtime.Crypto;

namespace EnclaveGen.Benchmarks.Marshalling;

/// <summary>
/// Large buffers across the boundary against the raw AEAD in the same run. Copy-in (the buffer
/// goes in, an int comes back) and copy-out (the enclave's buffer comes back) each move the
/// buffer one way: sealed by one side, opened by the other. The baseline does exactly that
/// cryptography, a seal and an open of the same size, with the runtime's AEAD. The goal
/// (docs/performance.md): copy-in and copy-out at least 90% of that throughput (a Ratio of at
/// most 1.11), in-and-out at least 90% of twice it (a Ratio of at most 2.22). The span rows move
/// the same bytes into memory the receiver already has (the reader's pooled buffer, the caller's
/// own array); the byte[] rows end in a fresh array, which the "into a new byte[]" row isolates.
/// </summary>
[MemoryDiagnoser]
public class LargeBufferBenchmarks
{
    private readonly byte[] _key = new byte[32];
    private readonly byte[] _nonce = new byte[12];
    private readonly byte[] _header = new byte[16];
    private readonly byte[] _tag = new byte[16];
    private byte[] _plaintext = [];
    private byte[] _ciphertext = [];
    private byte[] _data = [];
    private byte[] _received = [];
    private IBoundaryAead _aead = null!;
    private MarshalEnclave.Proxy _enclave = null!;

    [Params(64 * 1024, 1024 * 1024)]
    public int Size { get; set; }

    /// <summary>Where the enclave runs; <see cref="IsolatedLargeBufferBenchmarks"/> runs the same rows in isolated mode.</summary>
    protected virtual EnclaveMode Mode => EnclaveMode.InProcess;

    [GlobalSetup]
    public void Setup()
    {
        Random random = new(7);
        random.NextBytes(_key);
        _plaintext = new byte[Size];
        _ciphertext = new byte[Size];
        _data = new byte[Size];
        _received = new byte[Size];
        random.NextBytes(_plaintext);
        random.NextBytes(_data);
        _aead = BoundaryAead.Create(_key);
        _enclave = MarshalEnclave.CreateEnclaveAsync(new MarshalHost(), new EnclaveOptions { Mode = Mode }).AsTask().GetAwaiter().GetResult();
        _enclave.Prepare(Size);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _enclave.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _aead.Dispose();
    }

    [Benchmark(Baseline = true, Description = "raw AEAD seal+open")]
    public bool RawSealOpen()
    {
        _aead.Seal(_nonce, _plaintext, _ciphertext, _tag, _header);
        return _aead.Open(_nonce, _ciphertext, _tag, _plaintext, _header);
    }

    /// <summary>
    /// The baseline plus what a byte[] parameter needs whatever the boundary does: a fresh managed
    /// array for the receiver (the large-object heap at 1 MiB) and a copy into it.
    /// </summary>
    [Benchmark(Description = "raw AEAD seal+open + new byte[] and copy")]
    public byte[] RawSealOpenAndCopy()
    {
        _aead.Seal(_nonce, _plaintext, _ciphertext, _tag, _header);
        _aead.Open(_nonce, _ciphertext, _tag, _plaintext, _header);
        byte[] copy = new byte[Size];
        _plaintext.CopyTo(copy, 0);
        return copy;
    }

    /// <summary>
    /// The baseline with the open writing into a fresh array, as a <c>byte[]</c> the receiver keeps
    /// must: the least a <c>byte[]</c> crossing can cost, whatever the boundary does.
    /// </summary>
    [Benchmark(Description = "raw AEAD seal+open into a new byte[]")]
    public byte[] RawSealOpenIntoNewArray()
    {
        _aead.Seal(_nonce, _plaintext, _ciphertext, _tag, _header);
        byte[] received = GC.AllocateUninitializedArray<byte>(Size);
        _aead.Open(_nonce, _ciphertext, _tag, received, _header);
        return received;
    }

    [Benchmark(Description = "copy-in: byte[] in")]
    public int CopyIn() => _enclave.Absorb(_data);

    [Benchmark(Description = "copy-out: byte[] out")]
    public byte[] CopyOut() => _enclave.Emit();

    [Benchmark(Description = "copy-in: ReadOnlySpan<byte> in")]
    public int CopyInSpan() => _enclave.AbsorbSpan(_data);

    [Benchmark(Description = "copy-out: [Out] Span<byte> (callee copies its buffer in)")]
    public byte[] CopyOutSpan()
    {
        _enclave.EmitInto(_received);
        return _received;
    }

    [Benchmark(Description = "byte[] in and out (2 x the crypto)")]
    public byte[] InAndOut() => _enclave.EchoBytes(_data);
}

/// <summary>
/// The same rows with the enclave in its own process: each message also crosses the shared
/// ring, in 64 KiB chunks copied into the window and out into the receiver's private memory.
/// </summary>
public class IsolatedLargeBufferBenchmarks : LargeBufferBenchmarks
{
    protected override EnclaveMode Mode => EnclaveMode.Isolated;
}
