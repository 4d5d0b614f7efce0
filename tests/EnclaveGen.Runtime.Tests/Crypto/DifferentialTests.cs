using System.Security.Cryptography;

namespace EnclaveGen.Runtime.Tests.Crypto;

/// <summary>Every implementation against .NET's <see cref="AesGcm"/> on seeded random inputs.</summary>
public sealed class DifferentialTests
{
    public static TheoryData<string, int> LargeSizes
    {
        get
        {
            var data = new TheoryData<string, int>();
            int[] sizes = [4096, 4096 + 7, 65536, 65536 + 1, 65536 + 15, 65536 + 17, 65536 + 255, 100_003, (1 << 20) + 3];
            foreach (string implementation in AeadImplementations.Names)
            {
                foreach (int size in sizes)
                {
                    data.Add(implementation, size);
                }
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(AeadImplementations.Supported), MemberType = typeof(AeadImplementations))]
    public void MatchesDotNetAesGcmForEveryLengthUpTo1100(string implementation)
    {
        for (int length = 0; length <= 1100; length++)
        {
            var random = new Random(length);
            // Mostly short AAD like the boundary header, sometimes none, sometimes several hundred bytes.
            int aadLength = (length % 5) switch { 0 => 0, 1 => random.Next(1, 400), _ => random.Next(1, 48) };
            CheckAgainstReference(implementation, random, length, aadLength);
        }
    }

    [Theory]
    [MemberData(nameof(LargeSizes))]
    public void MatchesDotNetAesGcmForLargeBuffers(string implementation, int length)
    {
        var random = new Random(length);
        CheckAgainstReference(implementation, random, length, aadLength: 0);
        CheckAgainstReference(implementation, random, length, aadLength: 13);
        CheckAgainstReference(implementation, random, length, aadLength: 4096 + 33);
    }

    [Theory]
    [MemberData(nameof(AeadImplementations.Supported), MemberType = typeof(AeadImplementations))]
    public void MatchesDotNetAesGcmForLongAssociatedDataWithShortMessages(string implementation)
    {
        for (int aadLength = 0; aadLength <= 700; aadLength += 3)
        {
            var random = new Random(10_000 + aadLength);
            CheckAgainstReference(implementation, random, random.Next(0, 130), aadLength);
        }
    }

    private static void CheckAgainstReference(string implementation, Random random, int length, int aadLength)
    {
        byte[] key = Bytes(random, 32);
        byte[] nonce = Bytes(random, 12);
        byte[] aad = Bytes(random, aadLength);
        byte[] plaintext = Bytes(random, length);
        string context = $"{implementation}, {length}-byte message, {aadLength}-byte AAD";

        byte[] expectedCiphertext = new byte[length];
        byte[] expectedTag = new byte[16];
        using (var reference = new AesGcm(key, 16))
        {
            reference.Encrypt(nonce, plaintext, expectedCiphertext, expectedTag, aad);
        }

        using var aead = AeadImplementations.Create(implementation, key);

        // Seal, out of place.
        byte[] ciphertext = new byte[length];
        byte[] tag = new byte[16];
        aead.Seal(nonce, plaintext, ciphertext, tag, aad);
        Assert.True(expectedCiphertext.AsSpan().SequenceEqual(ciphertext), $"ciphertext differs: {context}");
        Assert.True(expectedTag.AsSpan().SequenceEqual(tag), $"tag differs: {context}");

        // Seal, in place.
        byte[] buffer = (byte[])plaintext.Clone();
        byte[] tagInPlace = new byte[16];
        aead.Seal(nonce, buffer, buffer, tagInPlace, aad);
        Assert.True(expectedCiphertext.AsSpan().SequenceEqual(buffer), $"in-place ciphertext differs: {context}");
        Assert.True(expectedTag.AsSpan().SequenceEqual(tagInPlace), $"in-place tag differs: {context}");

        // Open what the reference sealed, out of place and in place.
        byte[] opened = new byte[length];
        Assert.True(aead.Open(nonce, expectedCiphertext, expectedTag, opened, aad), $"open refused: {context}");
        Assert.True(plaintext.AsSpan().SequenceEqual(opened), $"opened plaintext differs: {context}");
        Assert.True(aead.Open(nonce, buffer, expectedTag, buffer, aad), $"in-place open refused: {context}");
        Assert.True(plaintext.AsSpan().SequenceEqual(buffer), $"in-place opened plaintext differs: {context}");

        // Open must reject a wrong tag and zero the output (in place: the buffer it was given).
        byte[] badTag = (byte[])expectedTag.Clone();
        badTag[random.Next(16)] ^= (byte)(1 << random.Next(8));
        byte[] rejected = Bytes(random, length);
        Assert.False(aead.Open(nonce, expectedCiphertext, badTag, rejected, aad), $"open accepted a bad tag: {context}");
        Assert.True(rejected.All(b => b == 0), $"output not zeroed after a bad tag: {context}");
    }

    private static byte[] Bytes(Random random, int length)
    {
        byte[] bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }
}
