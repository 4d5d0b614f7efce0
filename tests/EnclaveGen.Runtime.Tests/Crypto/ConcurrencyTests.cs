using System.Security.Cryptography;

namespace EnclaveGen.Runtime.Tests.Crypto;

/// <summary>One context shared by several threads gives the same results as one per thread.</summary>
public sealed class ConcurrencyTests
{
    [Theory]
    [MemberData(nameof(AeadImplementations.Supported), MemberType = typeof(AeadImplementations))]
    public void SharedContextGivesCorrectResultsFromManyThreads(string implementation)
    {
        byte[] key = RandomNumberGenerator.GetBytes(32);
        using var shared = AeadImplementations.Create(implementation, key);
        const int Threads = 8;
        const int Iterations = 400;
        using var start = new Barrier(Threads);
        var failures = new System.Collections.Concurrent.ConcurrentQueue<string>();

        Thread[] threads = Enumerable.Range(0, Threads).Select(t => new Thread(() =>
        {
            var random = new Random(t);
            using var reference = new AesGcm(key, 16);
            byte[] nonce = new byte[12];
            start.SignalAndWait();
            for (int i = 0; i < Iterations; i++)
            {
                int length = (i % 4) switch { 0 => 64, 1 => random.Next(0, 200), 2 => random.Next(200, 5000), _ => 16 * random.Next(0, 20) };
                byte[] plaintext = new byte[length];
                byte[] aad = new byte[random.Next(0, 40)];
                random.NextBytes(plaintext);
                random.NextBytes(aad);
                random.NextBytes(nonce);

                byte[] expected = new byte[length];
                byte[] expectedTag = new byte[16];
                reference.Encrypt(nonce, plaintext, expected, expectedTag, aad);

                byte[] ciphertext = new byte[length];
                byte[] tag = new byte[16];
                shared.Seal(nonce, plaintext, ciphertext, tag, aad);
                byte[] opened = new byte[length];
                bool ok = shared.Open(nonce, ciphertext, tag, opened, aad);
                if (!expected.AsSpan().SequenceEqual(ciphertext) || !expectedTag.AsSpan().SequenceEqual(tag) || !ok || !plaintext.AsSpan().SequenceEqual(opened))
                {
                    failures.Enqueue($"thread {t}, iteration {i}, {length} bytes");
                }

                tag[0] ^= 1;
                if (shared.Open(nonce, ciphertext, tag, opened, aad))
                {
                    failures.Enqueue($"thread {t}, iteration {i}: tampered tag accepted");
                }
            }
        })).ToArray();

        foreach (Thread thread in threads)
        {
            thread.Start();
        }

        foreach (Thread thread in threads)
        {
            thread.Join();
        }

        Assert.Empty(failures);
    }
}
