using System.Formats.Cbor;
using System.Security.Cryptography;
using EnclaveGen.Attestation.Tests.Fuzz;
using EnclaveGen.Attestation.Tls;

namespace EnclaveGen.Attestation.Tests.Tls;

/// <summary>The evidence extension's CBOR layout: what is written, and typed errors for everything else.</summary>
public sealed class RaTlsEvidenceTests
{
    private static readonly byte[] s_spki = Enumerable.Range(0, 91).Select(i => (byte)i).ToArray();
    private static readonly byte[] s_quote = Enumerable.Range(0, 40).Select(i => (byte)(i * 7)).ToArray();

    private static byte[] Genuine(ReadOnlySpan<byte> nonce = default) =>
        RaTlsEvidence.Encode(RaTlsFormat.IntelTeeQuoteTag, s_quote, RaTlsEvidence.CreateClaimsBuffer(s_spki, nonce));

    private static byte[] Write(Action<CborWriter> write)
    {
        CborWriter writer = new(CborConformanceMode.Lax);
        write(writer);
        return writer.Encode();
    }

    private static byte[] Claims(Action<CborWriter> entries, int? count)
    {
        return Write(w =>
        {
            w.WriteStartMap(count);
            entries(w);
            w.WriteEndMap();
        });
    }

    private static byte[] HashEntry(ulong algorithm, int length) => Write(w =>
    {
        w.WriteStartArray(2);
        w.WriteUInt64(algorithm);
        w.WriteByteString(new byte[length]);
        w.WriteEndArray();
    });

    private static byte[] Wrap(byte[] claims, int? arrayLength = 2, ulong tag = RaTlsFormat.IntelTeeQuoteTag) => Write(w =>
    {
        w.WriteTag((CborTag)tag);
        w.WriteStartArray(arrayLength);
        w.WriteByteString(s_quote);
        w.WriteByteString(claims);
        if (arrayLength == 3)
        {
            w.WriteByteString([]);
        }

        w.WriteEndArray();
    });

    private static EvidenceFormatException Malformed(byte[] extension) =>
        Assert.Throws<EvidenceFormatException>(() => RaTlsEvidence.Decode(extension));

    [Fact]
    public void WrittenLayoutIsTheInteroperableOneByteForByte()
    {
        byte[] extension = Genuine();

        // d9 ea60 (tag 60000), 82 (array of 2), 58 28 (bstr 40: the quote), 58 33 (bstr 51: the claims)
        Assert.Equal("d9ea60825828", Convert.ToHexStringLower(extension.AsSpan(0, 6)));
        byte[] claims = extension[(6 + 40 + 2)..];
        Assert.Equal("5833", Convert.ToHexStringLower(extension.AsSpan(46, 2)));
        // a1 (map of 1), 6b "pubkey-hash", 58 24 (bstr 36), 82 01 58 20 (array [1, bstr 32]), SHA-256 of the SPKI
        Assert.Equal("a16b7075626b65792d68617368582482015820" + Convert.ToHexStringLower(SHA256.HashData(s_spki)), Convert.ToHexStringLower(claims));
        Assert.Equal([.. SHA256.HashData(claims), .. new byte[32]], RaTlsEvidence.ReportDataFor(claims));
    }

    [Fact]
    public void DecodeReadsBackWhatEncodeWrote()
    {
        RaTlsEvidence plain = RaTlsEvidence.Decode(Genuine());
        RaTlsEvidence withNonce = RaTlsEvidence.Decode(Genuine([9, 8, 7]));

        Assert.Equal(RaTlsFormat.IntelTeeQuoteTag, plain.Tag);
        Assert.Equal(s_quote, plain.Evidence.ToArray());
        Assert.Equal(RaTlsFormat.Sha256AlgorithmId, plain.PublicKeyHashAlgorithm);
        Assert.Equal(SHA256.HashData(s_spki), plain.PublicKeyHash.ToArray());
        Assert.Null(plain.Nonce);
        Assert.Equal([9, 8, 7], withNonce.Nonce?.ToArray());
    }

    [Fact]
    public void OtherClaimsAreCarriedAndSha384And512KeyHashesAreRead()
    {
        byte[] claims = Claims(w =>
        {
            w.WriteTextString("key_0");
            w.WriteByteString("value_0"u8);
            w.WriteTextString("pubkey-hash");
            w.WriteByteString(HashEntry(RaTlsFormat.Sha384AlgorithmId, 48));
        }, 2);
        byte[] sha512 = Claims(w =>
        {
            w.WriteTextString("pubkey-hash");
            w.WriteByteString(HashEntry(RaTlsFormat.Sha512AlgorithmId, 64));
        }, 1);

        Assert.Equal(48, RaTlsEvidence.Decode(Wrap(claims)).PublicKeyHash.Length);
        Assert.Equal(64, RaTlsEvidence.Decode(Wrap(sha512)).PublicKeyHash.Length);
    }

    [Fact]
    public void LayoutDeviationsAreTypedErrorsNamingTheField()
    {
        byte[] goodClaims = RaTlsEvidence.CreateClaimsBuffer(s_spki);
        (string Field, byte[] Extension)[] cases =
        [
            ("evidence array", Wrap(goodClaims, arrayLength: 3)),
            ("evidence array", Wrap(goodClaims, arrayLength: null)),
            ("tag", Write(w => { w.WriteStartArray(2); w.WriteByteString(s_quote); w.WriteByteString(goodClaims); w.WriteEndArray(); })),
            ("evidence array", [.. Genuine(), 0x00]),
            ("claims-buffer", Wrap(Claims(w => { w.WriteTextString("nonce"); w.WriteByteString([1]); }, 1))),
            ("claims-buffer", Wrap(Claims(w => { w.WriteTextString("pubkey-hash"); w.WriteByteString(HashEntry(1, 32)); }, null))),
            ("hash-alg-id", Wrap(Claims(w => { w.WriteTextString("pubkey-hash"); w.WriteByteString(HashEntry(2, 32)); }, 1))),
            ("hash-value", Wrap(Claims(w => { w.WriteTextString("pubkey-hash"); w.WriteByteString(HashEntry(1, 31)); }, 1))),
            ("pubkey-hash", Wrap(Claims(w => { w.WriteTextString("pubkey-hash"); w.WriteTextString("not bytes"); }, 1))),
            ("claim name", Wrap(Claims(w => { w.WriteInt32(1); w.WriteByteString(HashEntry(1, 32)); }, 1))),
        ];

        foreach ((string field, byte[] extension) in cases)
        {
            EvidenceFormatException e = Malformed(extension);
            Assert.True(e.Field == field, $"expected field '{field}', got '{e.Field}': {e.Message}");
        }
    }

    [Fact]
    public void DuplicateClaimsAreRefused()
    {
        byte[] twice = Claims(w =>
        {
            w.WriteTextString("pubkey-hash");
            w.WriteByteString(HashEntry(1, 32));
            w.WriteTextString("pubkey-hash");
            w.WriteByteString(HashEntry(1, 32));
        }, 2);

        Malformed(Wrap(twice));
    }

    [Fact]
    public void EveryTruncationAndSeededMutationIsATypedErrorOrAValidParse()
    {
        byte[] genuine = Genuine([1, 2, 3]);
        for (int length = 0; length < genuine.Length; length++)
        {
            Malformed(genuine[..length]);
        }

        Mutator mutator = new(seed: 19, lengthFieldOffsets: [3, 4, 46, 47]);
        for (int i = 0; i < 3000; i++)
        {
            byte[] mutated = mutator.Mutate(genuine);
            try
            {
                RaTlsEvidence.Decode(mutated);
            }
            catch (EvidenceFormatException)
            {
                // The expected outcome for most mutations; anything else escapes and fails the test.
            }
        }
    }
}
