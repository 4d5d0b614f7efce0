using EnclaveGen.Runtime.Crypto;

namespace EnclaveGen.Benchmarks.Boundary;

/// <summary>
/// The ECALLs of <see cref="EcallBenchmarks"/> in a plain loop, for counting the CPU cycles and
/// instructions one call costs with <c>perf stat</c> (docs/performance.md). On a shared machine a
/// process's own cycles move far less with the load than wall-clock means do: run the loop with
/// two counts and divide the difference by the difference of the counts, which cancels start-up.
/// </summary>
internal static class EcallLoop
{
    public static async Task RunAsync(string kind, long count)
    {
        await using BenchEnclave.Proxy enclave = await BenchEnclave.CreateEnclaveAsync(new BenchHost());
        CountedLoop.Run(Call(enclave, kind), warmupCalls: 200_000, count, kind);
    }

    /// <summary>
    /// One call of <paramref name="kind"/> on an enclave of its own that lives as long as the
    /// process. <c>ecall-ab</c> finds this method by name in another build of this project, so keep
    /// its name and signature.
    /// </summary>
    public static Func<int> CreateCall(string kind)
    {
        BenchEnclave.Proxy enclave = BenchEnclave.CreateEnclaveAsync(new BenchHost()).AsTask().GetAwaiter().GetResult();
        return Call(enclave, kind);
    }

    private static Func<int> Call(BenchEnclave.Proxy enclave, string kind)
    {
        byte[] payload = new byte[64];
        byte[] key = new byte[32];
        byte[] nonce = new byte[12];
        byte[] tag = new byte[16];
        byte[] header = new byte[16];
        byte[] ciphertext = new byte[64];
        byte[] large = new byte[64 * 1024];
        byte[] largeSealed = new byte[large.Length];
        IBoundaryAead aead = BoundaryAead.Create(key); // lives as long as the delegate: one per run
        return kind switch
        {
            "raw" => () =>
            {
                aead.Seal(nonce, payload, ciphertext, tag, header);
                return tag[0];
            },

            // The AEAD's long-message path alone: a seal and an open of 64 KiB.
            "raw64k" => () =>
            {
                aead.Seal(nonce, large, largeSealed, tag, header);
                return aead.Open(nonce, largeSealed, tag, large, header) ? tag[0] : -1;
            },
            "int32" => () => enclave.EchoInt32(42),
            "bytes64" => () => enclave.EchoBytes(payload).Length,
            "ocall" => () => enclave.CallHost(42),
            _ => throw new ArgumentException($"Unknown kind '{kind}': expected raw, raw64k, int32, bytes64 or ocall.", nameof(kind)),
        };
    }
}
