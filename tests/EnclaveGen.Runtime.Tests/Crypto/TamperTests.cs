namespace EnclaveGen.Runtime.Tests.Crypto;

/// <summary>Every single-bit change to a sealed message is rejected, and the output is zeroed.</summary>
public sealed class TamperTests
{
    public static TheoryData<string, int> Cases
    {
        get
        {
            var data = new TheoryData<string, int>();
            foreach (string implementation in AeadImplementations.Names)
            {
                foreach (int size in new[] { 0, 1, 16, 64, 113, 300, 1029 })
                {
                    data.Add(implementation, size);
                }
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void EverySingleBitFlipOfCiphertextTagAadAndNonceIsRejected(string implementation, int size)
    {
        var random = new Random(size);
        byte[] key = new byte[32];
        byte[] nonce = new byte[12];
        byte[] aad = new byte[size % 2 == 0 ? 21 : 300];
        byte[] plaintext = new byte[size];
        random.NextBytes(key);
        random.NextBytes(nonce);
        random.NextBytes(aad);
        random.NextBytes(plaintext);

        using var aead = AeadImplementations.Create(implementation, key);
        byte[] ciphertext = new byte[size];
        byte[] tag = new byte[16];
        aead.Seal(nonce, plaintext, ciphertext, tag, aad);
        byte[] output = new byte[size];
        Assert.True(aead.Open(nonce, ciphertext, tag, output, aad));
        Assert.Equal(plaintext, output);

        int rejected = 0;
        void ExpectRejected(string what, int bit)
        {
            Array.Fill(output, (byte)0xEE);
            Assert.False(aead.Open(nonce, ciphertext, tag, output, aad), $"{implementation}: flipping bit {bit} of the {what} was not detected ({size}-byte message)");
            Assert.True(output.All(b => b == 0), $"{implementation}: output not zeroed after a flipped {what} bit {bit}");
            rejected++;
        }

        foreach ((string name, byte[] field) in new[] { ("ciphertext", ciphertext), ("tag", tag), ("associated data", aad), ("nonce", nonce) })
        {
            for (int bit = 0; bit < field.Length * 8; bit++)
            {
                field[bit / 8] ^= (byte)(1 << (bit % 8));
                ExpectRejected(name, bit);
                field[bit / 8] ^= (byte)(1 << (bit % 8));
            }
        }

        Assert.Equal((size + 16 + aad.Length + 12) * 8, rejected);

        // Restored, the message opens again.
        Assert.True(aead.Open(nonce, ciphertext, tag, output, aad));
        Assert.Equal(plaintext, output);
    }

    [Theory]
    [MemberData(nameof(AeadImplementations.Supported), MemberType = typeof(AeadImplementations))]
    public void TruncatedOrExtendedAssociatedDataIsRejected(string implementation)
    {
        byte[] key = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
        byte[] nonce = new byte[12];
        byte[] aad = Enumerable.Range(0, 40).Select(i => (byte)i).ToArray();
        byte[] plaintext = new byte[64];
        using var aead = AeadImplementations.Create(implementation, key);
        byte[] ciphertext = new byte[64];
        byte[] tag = new byte[16];
        aead.Seal(nonce, plaintext, ciphertext, tag, aad);
        byte[] output = new byte[64];

        Assert.False(aead.Open(nonce, ciphertext, tag, output, aad.AsSpan(0, 39)));
        Assert.False(aead.Open(nonce, ciphertext, tag, output, [.. aad, 0]));
        Assert.False(aead.Open(nonce, ciphertext, tag, output, []));
        Assert.True(aead.Open(nonce, ciphertext, tag, output, aad));
    }
}
