using System.Security.Cryptography;
using EnclaveGen.Runtime.Crypto;

namespace EnclaveGen.Runtime.Tests.Crypto;

/// <summary>
/// Sealing and opening in pieces (<see cref="ISegmentedAead"/>) against .NET's <see cref="AesGcm"/>:
/// any split of a message gives the one-shot ciphertext and tag, <see cref="ISegmentedAead.Verify"/>
/// accepts exactly the authentic messages, and decrypting any range gives that range of the plaintext.
/// </summary>
public sealed class SegmentedAeadTests
{
    public static TheoryData<string> Segmented => new(AeadImplementations.Names.Where(IsSegmented));

    public static TheoryData<string, int> LargeSizes
    {
        get
        {
            TheoryData<string, int> data = [];
            foreach (string implementation in AeadImplementations.Names.Where(IsSegmented))
            {
                foreach (int size in new[] { 4096 + 7, 65536, 65536 + 17, (1 << 20) + 3 })
                {
                    data.Add(implementation, size);
                }
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Segmented))]
    public void AnySplitSealsLikeTheOneShotSealForEveryLengthUpTo700(string implementation)
    {
        for (int length = 0; length <= 700; length++)
        {
            CheckSplitSeal(implementation, new Random(length), length);
        }
    }

    [Theory]
    [MemberData(nameof(LargeSizes))]
    public void AnySplitSealsLikeTheOneShotSealForLargeMessages(string implementation, int length)
    {
        Random random = new(length);
        for (int round = 0; round < 3; round++)
        {
            CheckSplitSeal(implementation, random, length);
        }
    }

    [Theory]
    [MemberData(nameof(Segmented))]
    public void VerifyAcceptsTheAuthenticMessageAndNothingElse(string implementation)
    {
        foreach (int length in new[] { 0, 1, 16, 113, 4096 + 5, 70_000 })
        {
            Random random = new(length);
            (byte[] key, byte[] nonce, byte[] aad, byte[] plaintext) = Inputs(random, length);
            (byte[] ciphertext, byte[] tag) = Reference(key, nonce, aad, plaintext);
            using IBoundaryAead aead = AeadImplementations.Create(implementation, key);
            ISegmentedAead segmented = (ISegmentedAead)aead;

            Assert.True(segmented.Verify(nonce, ciphertext, tag, aad));
            byte[] badTag = (byte[])tag.Clone();
            badTag[random.Next(16)] ^= 0x80;
            Assert.False(segmented.Verify(nonce, ciphertext, badTag, aad));
            byte[] badAad = (byte[])aad.Clone();
            badAad[random.Next(aad.Length)] ^= 1;
            Assert.False(segmented.Verify(nonce, ciphertext, tag, badAad));
            if (length > 0)
            {
                byte[] badCiphertext = (byte[])ciphertext.Clone();
                badCiphertext[random.Next(length)] ^= 4;
                Assert.False(segmented.Verify(nonce, badCiphertext, tag, aad));
            }
        }
    }

    [Theory]
    [MemberData(nameof(Segmented))]
    public void DecryptingAnyRangeGivesThatRangeOfThePlaintext(string implementation)
    {
        Random random = new(42);
        int length = 70_000;
        (byte[] key, byte[] nonce, byte[] aad, byte[] plaintext) = Inputs(random, length);
        (byte[] ciphertext, _) = Reference(key, nonce, aad, plaintext);
        using IBoundaryAead aead = AeadImplementations.Create(implementation, key);
        ISegmentedAead segmented = (ISegmentedAead)aead;

        for (int round = 0; round < 400; round++)
        {
            int start = round < 40 ? round : random.Next(length);
            int count = round % 3 == 0 ? random.Next(0, 40) : random.Next(0, length - start + 1);
            count = Math.Min(count, length - start);
            byte[] piece = new byte[count];
            segmented.DecryptAt(nonce, start, ciphertext.AsSpan(start, count), piece);
            Assert.True(plaintext.AsSpan(start, count).SequenceEqual(piece), $"bytes {start}..{start + count} differ");
        }
    }

    private static void CheckSplitSeal(string implementation, Random random, int length)
    {
        (byte[] key, byte[] nonce, byte[] aad, byte[] plaintext) = Inputs(random, length);
        (byte[] expectedCiphertext, byte[] expectedTag) = Reference(key, nonce, aad, plaintext);
        using IBoundaryAead aead = AeadImplementations.Create(implementation, key);
        ISegmentedAead segmented = (ISegmentedAead)aead;

        // Pieces of whole blocks, some in place and some out of place, then the rest.
        byte[] message = (byte[])plaintext.Clone();
        SealProgress progress = segmented.BeginSeal(nonce);
        int done = 0;
        while (length - done >= 16 && random.Next(4) != 0)
        {
            int blocks = random.Next(1, Math.Min(40, (length - done) / 16) + 1);
            int size = random.Next(3) == 0 ? (length - done) / 16 * 16 : blocks * 16;
            if (random.Next(2) == 0)
            {
                segmented.SealBlocks(ref progress, message.AsSpan(done, size), message.AsSpan(done, size));
            }
            else
            {
                segmented.SealBlocks(ref progress, plaintext.AsSpan(done, size), message.AsSpan(done, size));
            }

            done += size;
        }

        byte[] tag = new byte[16];
        segmented.FinishSeal(ref progress, plaintext.AsSpan(done), message.AsSpan(done), aad, tag);
        string context = $"{implementation}, {length} bytes, last piece from {done}";
        Assert.True(expectedCiphertext.AsSpan().SequenceEqual(message), $"ciphertext differs: {context}");
        Assert.True(expectedTag.AsSpan().SequenceEqual(tag), $"tag differs: {context}");
    }

    private static (byte[] Key, byte[] Nonce, byte[] Aad, byte[] Plaintext) Inputs(Random random, int length)
    {
        // The boundary's associated data is its 16-byte header; other lengths check the general case.
        int aadLength = random.Next(3) switch { 0 => 16, 1 => random.Next(1, 40), _ => random.Next(1, 300) };
        return (Bytes(random, 32), Bytes(random, 12), Bytes(random, aadLength), Bytes(random, length));
    }

    private static (byte[] Ciphertext, byte[] Tag) Reference(byte[] key, byte[] nonce, byte[] aad, byte[] plaintext)
    {
        byte[] ciphertext = new byte[plaintext.Length];
        byte[] tag = new byte[16];
        using AesGcm reference = new(key, 16);
        reference.Encrypt(nonce, plaintext, ciphertext, tag, aad);
        return (ciphertext, tag);
    }

    private static bool IsSegmented(string implementation)
    {
        using IBoundaryAead aead = AeadImplementations.Create(implementation, new byte[32]);
        return aead is ISegmentedAead;
    }

    private static byte[] Bytes(Random random, int length)
    {
        byte[] bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }
}
