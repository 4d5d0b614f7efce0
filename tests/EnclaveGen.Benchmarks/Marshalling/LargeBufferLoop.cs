using EnclaveGen.Runtime.Crypto;

namespace EnclaveGen.Benchmarks.Marshalling;

/// <summary>
/// The rows of <see cref="LargeBufferBenchmarks"/> in a plain loop, for counting the CPU cycles
/// (user and kernel: first-touch page faults are kernel time) one call costs with <c>perf stat</c>;
/// see <see cref="Boundary.EcallLoop"/> for why and how.
/// </summary>
internal static class LargeBufferLoop
{
    public static async Task RunAsync(string kind, long count, int size)
    {
        await using MarshalEnclave.Proxy enclave = await MarshalEnclave.CreateEnclaveAsync(new MarshalHost());
        enclave.Prepare(size);
        byte[] key = new byte[32];
        byte[] nonce = new byte[12];
        byte[] header = new byte[16];
        byte[] tag = new byte[16];
        byte[] plaintext = new byte[size];
        byte[] ciphertext = new byte[size];
        byte[] data = new byte[size];
        byte[] received = new byte[size];
        Random.Shared.NextBytes(plaintext);
        Random.Shared.NextBytes(data);
        using IBoundaryAead aead = BoundaryAead.Create(key);
        Func<int> call = kind switch
        {
            "raw" => () =>
            {
                aead.Seal(nonce, plaintext, ciphertext, tag, header);
                return aead.Open(nonce, ciphertext, tag, plaintext, header) ? 1 : 0;
            },
            "raw-new-array" => () =>
            {
                aead.Seal(nonce, plaintext, ciphertext, tag, header);
                byte[] fresh = GC.AllocateUninitializedArray<byte>(size);
                return aead.Open(nonce, ciphertext, tag, fresh, header) ? fresh.Length : 0;
            },
            "in" => () => enclave.Absorb(data),
            "out" => () => enclave.Emit().Length,
            "in-out" => () => enclave.EchoBytes(data).Length,
            "span-in" => () => enclave.AbsorbSpan(data),
            "span-out" => () =>
            {
                enclave.EmitInto(received);
                return received[0];
            },
            _ => throw new ArgumentException(
                $"Unknown kind '{kind}': expected raw, raw-new-array, in, out, in-out, span-in or span-out.", nameof(kind)),
        };

        CountedLoop.Run(call, warmupCalls: 200, count, $"{kind} {size}");
    }
}
