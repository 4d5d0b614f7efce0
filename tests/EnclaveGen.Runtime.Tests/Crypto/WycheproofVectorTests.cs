using System.Text.Json;

namespace EnclaveGen.Runtime.Tests.Crypto;

/// <summary>Wycheproof AES-GCM vectors for 256-bit keys (subset; see Vectors/README.md).</summary>
public sealed class WycheproofVectorTests
{
    [Theory]
    [MemberData(nameof(AeadImplementations.Supported), MemberType = typeof(AeadImplementations))]
    public void ValidVectorsSealAndOpenAndInvalidOnesAreRejected(string implementation)
    {
        List<WycheproofVector> vectors = WycheproofVector.Load().Where(v => v.Iv.Length == 12).ToList();
        Assert.Equal(49, vectors.Count);
        Assert.Equal(27, vectors.Count(v => !v.Valid));
        foreach (WycheproofVector v in vectors)
        {
            using var aead = AeadImplementations.Create(implementation, v.Key);
            byte[] plaintext = new byte[v.Ciphertext.Length];
            Array.Fill(plaintext, (byte)0x5A);
            bool opened = aead.Open(v.Iv, v.Ciphertext, v.Tag, plaintext, v.Aad);
            if (v.Valid)
            {
                Assert.True(opened, $"open refused valid tcId {v.TcId}");
                Assert.True(v.Message.AsSpan().SequenceEqual(plaintext), $"plaintext differs for tcId {v.TcId}");

                byte[] ciphertext = new byte[v.Message.Length];
                byte[] tag = new byte[16];
                aead.Seal(v.Iv, v.Message, ciphertext, tag, v.Aad);
                Assert.True(v.Ciphertext.AsSpan().SequenceEqual(ciphertext), $"ciphertext differs for tcId {v.TcId}");
                Assert.True(v.Tag.AsSpan().SequenceEqual(tag), $"tag differs for tcId {v.TcId}");
            }
            else
            {
                Assert.False(opened, $"open accepted invalid tcId {v.TcId} ({v.Comment})");
                Assert.True(plaintext.All(b => b == 0), $"plaintext not zeroed for invalid tcId {v.TcId}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(AeadImplementations.Supported), MemberType = typeof(AeadImplementations))]
    public void ZeroLengthIvVectorsAreRefusedWithArgumentException(string implementation)
    {
        List<WycheproofVector> vectors = WycheproofVector.Load().Where(v => v.Iv.Length == 0).ToList();
        Assert.Equal(2, vectors.Count);
        foreach (WycheproofVector v in vectors)
        {
            Assert.False(v.Valid);
            using var aead = AeadImplementations.Create(implementation, v.Key);
            byte[] output = new byte[v.Message.Length];
            byte[] tag = new byte[16];
            var open = Assert.Throws<ArgumentException>(() => aead.Open(v.Iv, v.Ciphertext, v.Tag, output, v.Aad));
            Assert.Equal("nonce", open.ParamName);
            var seal = Assert.Throws<ArgumentException>(() => aead.Seal(v.Iv, v.Message, output, tag, v.Aad));
            Assert.Equal("nonce", seal.ParamName);
        }
    }

    private sealed record WycheproofVector(int TcId, string Comment, byte[] Key, byte[] Iv, byte[] Aad, byte[] Message, byte[] Ciphertext, byte[] Tag, bool Valid)
    {
        public static List<WycheproofVector> Load()
        {
            string path = Path.Combine(AppContext.BaseDirectory, "Crypto", "Vectors", "wycheproof_aes_gcm_256_iv96_subset.json");
            using JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(path));
            var vectors = new List<WycheproofVector>();
            foreach (JsonElement group in document.RootElement.GetProperty("testGroups").EnumerateArray())
            {
                Assert.Equal(256, group.GetProperty("keySize").GetInt32());
                Assert.Equal(128, group.GetProperty("tagSize").GetInt32());
                foreach (JsonElement test in group.GetProperty("tests").EnumerateArray())
                {
                    string result = test.GetProperty("result").GetString()!;
                    Assert.True(result is "valid" or "invalid", $"unexpected result '{result}'");
                    vectors.Add(new WycheproofVector(
                        test.GetProperty("tcId").GetInt32(),
                        test.GetProperty("comment").GetString()!,
                        Hex(test, "key"), Hex(test, "iv"), Hex(test, "aad"), Hex(test, "msg"), Hex(test, "ct"), Hex(test, "tag"),
                        result == "valid"));
                }
            }

            return vectors;
        }

        private static byte[] Hex(JsonElement test, string name) => Convert.FromHexString(test.GetProperty(name).GetString()!);
    }
}
