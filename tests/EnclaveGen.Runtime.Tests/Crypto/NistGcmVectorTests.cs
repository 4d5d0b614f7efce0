using System.Globalization;

namespace EnclaveGen.Runtime.Tests.Crypto;

/// <summary>NIST CAVP GCM vectors (AES-256, 96-bit IV, 128-bit tag); see Vectors/README.md.</summary>
public sealed class NistGcmVectorTests
{
    [Theory]
    [MemberData(nameof(AeadImplementations.Supported), MemberType = typeof(AeadImplementations))]
    public void SealMatchesEveryNistEncryptionVector(string implementation)
    {
        List<NistVector> vectors = NistVector.Load("gcmEncryptExtIV256_iv96_tag128.rsp");
        Assert.Equal(375, vectors.Count);
        foreach (NistVector v in vectors)
        {
            using var aead = AeadImplementations.Create(implementation, v.Key);
            byte[] ciphertext = new byte[v.Plaintext.Length];
            byte[] tag = new byte[16];
            aead.Seal(v.Iv, v.Plaintext, ciphertext, tag, v.Aad);
            Assert.True(v.Ciphertext.AsSpan().SequenceEqual(ciphertext), $"ciphertext differs for {v}");
            Assert.True(v.Tag.AsSpan().SequenceEqual(tag), $"tag differs for {v}");

            byte[] plaintext = new byte[v.Ciphertext.Length];
            Assert.True(aead.Open(v.Iv, v.Ciphertext, v.Tag, plaintext, v.Aad), $"open refused {v}");
            Assert.True(v.Plaintext.AsSpan().SequenceEqual(plaintext), $"plaintext differs for {v}");
        }
    }

    [Theory]
    [MemberData(nameof(AeadImplementations.Supported), MemberType = typeof(AeadImplementations))]
    public void OpenAcceptsEveryValidAndRejectsEveryFailingNistDecryptionVector(string implementation)
    {
        List<NistVector> vectors = NistVector.Load("gcmDecrypt256_iv96_tag128.rsp");
        Assert.Equal(375, vectors.Count);
        Assert.Equal(191, vectors.Count(v => v.ShouldFail));
        foreach (NistVector v in vectors)
        {
            using var aead = AeadImplementations.Create(implementation, v.Key);
            byte[] plaintext = new byte[v.Ciphertext.Length];
            Array.Fill(plaintext, (byte)0xA5);
            bool opened = aead.Open(v.Iv, v.Ciphertext, v.Tag, plaintext, v.Aad);
            if (v.ShouldFail)
            {
                Assert.False(opened, $"open accepted the failing vector {v}");
                Assert.True(plaintext.All(b => b == 0), $"plaintext not zeroed after rejecting {v}");
            }
            else
            {
                Assert.True(opened, $"open refused {v}");
                Assert.True(v.Plaintext.AsSpan().SequenceEqual(plaintext), $"plaintext differs for {v}");
            }
        }
    }

    private sealed record NistVector(string Section, int Count, byte[] Key, byte[] Iv, byte[] Plaintext, byte[] Aad, byte[] Ciphertext, byte[] Tag, bool ShouldFail)
    {
        public override string ToString() => $"{Section} Count = {Count}";

        public static List<NistVector> Load(string fileName)
        {
            string path = Path.Combine(AppContext.BaseDirectory, "Crypto", "Vectors", fileName);
            var vectors = new List<NistVector>();
            string section = "";
            Dictionary<string, string>? fields = null;
            bool fail = false;

            void Flush()
            {
                if (fields is null)
                {
                    return;
                }

                vectors.Add(new NistVector(
                    section,
                    int.Parse(fields["Count"], CultureInfo.InvariantCulture),
                    Convert.FromHexString(fields["Key"]),
                    Convert.FromHexString(fields["IV"]),
                    Convert.FromHexString(fields.GetValueOrDefault("PT", "")),
                    Convert.FromHexString(fields["AAD"]),
                    Convert.FromHexString(fields["CT"]),
                    Convert.FromHexString(fields["Tag"]),
                    fail));
                fields = null;
                fail = false;
            }

            foreach (string raw in File.ReadLines(path))
            {
                string line = raw.Trim();
                if (line.Length == 0 || line.StartsWith('#'))
                {
                    continue;
                }

                if (line.StartsWith('['))
                {
                    Flush();
                    section = fields is null && section.EndsWith(']') && !section.Contains("Taglen", StringComparison.Ordinal) ? section + line : line;
                    continue;
                }

                if (line == "FAIL")
                {
                    fail = true;
                    continue;
                }

                int equals = line.IndexOf('=', StringComparison.Ordinal);
                string name = line[..equals].Trim();
                string value = line[(equals + 1)..].Trim();
                if (name == "Count")
                {
                    Flush();
                    fields = new Dictionary<string, string>(StringComparer.Ordinal);
                }

                fields![name] = value;
            }

            Flush();
            return vectors;
        }
    }
}
