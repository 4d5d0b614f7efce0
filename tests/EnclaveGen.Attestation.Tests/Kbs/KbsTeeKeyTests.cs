using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using EnclaveGen.Attestation.Kbs;

namespace EnclaveGen.Attestation.Tests.Kbs;

/// <summary>
/// The TEE key opens JWEs made elsewhere (a vector made with Python's cryptography package), its KDF
/// meets RFC 7518 Appendix C, and every other JWE is refused with a typed reason.
/// </summary>
public sealed class KbsTeeKeyTests
{
    // Made once with python3 + cryptography (ECDH P-256, ConcatKDF by hand over SHA-256, aes_key_wrap,
    // AESGCM with AAD = ASCII(protected)), the steps of trustee kbs/src/jwe/mod.rs, independent of this code.
    private const string PythonD = "gqhdvqOP6rySd678QLJjUVI-orKnVwgxElqYN1NEsfw";
    private const string PythonX = "A8uMA_PT_Q5g6BaoenKHllhf-fyVVezHvtY5ZZ0HV6E";
    private const string PythonY = "HMPK0MjxZhqDUMuAhcuZ18P2lMFAqOF3KgLycUg6WAk";
    private const string PythonJwe = """{"protected": "eyJhbGciOiJFQ0RILUVTK0EyNTZLVyIsImVuYyI6IkEyNTZHQ00iLCJlcGsiOnsiY3J2IjoiUC0yNTYiLCJrdHkiOiJFQyIsIngiOiJEcm1XVmFQVFI1eTRjZkVHbXNWODRwRVJFMDlmaWU3Y1pqbWVWLTZmcHlJIiwieSI6IkRQTExnMUljLWJJM1lPREVqenNIRWVUT2tpcW9vS1g3MUhFR0FrNnB1MVUifX0", "encrypted_key": "qbF1a7gRJ1aYbU9_Q2ycmpx1yEeR8OwYQDR5L45rH97fqkhyDjCjLw", "iv": "4TfrohzrK_J_mnAF", "ciphertext": "nVOjWo95461RbbVJzSZz_qlawLTndv7TOnY54qio0weXUlBlelExSk589VsYvq6eNFwCivLe", "tag": "h5RuPTf0JcHw62MwZBt8_Q"}""";

    [Fact]
    public void AJweMadeByAnIndependentImplementationOpens()
    {
        using KbsTeeKey key = PythonKey();

        byte[] plaintext = key.Open(KbsEncryptedResource.Parse(PythonJwe));

        Assert.Equal("resource from a python-made JWE (cryptography package)", Encoding.UTF8.GetString(plaintext));
        Assert.Equal(PythonX, (string?)key.PublicJwk["x"]);
    }

    [Fact]
    public void TheConcatKdfMeetsRfc7518AppendixC()
    {
        // RFC 7518 Appendix C: Z from the example keys, "A128GCM", apu "Alice", apv "Bob", 128 bits.
        byte[] z = [158, 86, 217, 29, 129, 113, 53, 211, 114, 131, 66, 131, 191, 132, 38, 156, 251, 49, 110, 163, 218, 128, 106, 72, 246, 218, 167, 121, 140, 254, 144, 196];

        byte[] derived = KbsTeeKey.ConcatKdf(z, "A128GCM", "Alice"u8, "Bob"u8, 128);

        Assert.Equal("VqqN6vgjbSBcIijNcacQGg", Base64Url.EncodeToString(derived));
    }

    [Fact]
    public void TheJwkIsAnEcdhP256KeyForEcdhEsA256kw()
    {
        using var key = new KbsTeeKey();
        JsonObject jwk = key.PublicJwk;

        Assert.Equal(["kty", "crv", "alg", "x", "y"], jwk.Select(m => m.Key));
        Assert.Equal("EC", (string?)jwk["kty"]);
        Assert.Equal("P-256", (string?)jwk["crv"]);
        Assert.Equal("ECDH-ES+A256KW", (string?)jwk["alg"]);
        Assert.Equal(32, Base64Url.DecodeFromChars((string)jwk["x"]!).Length);
        Assert.NotEqual((string?)jwk["x"], (string?)new KbsTeeKey().PublicJwk["x"]);
    }

    [Theory]
    [InlineData("RSA1_5", "A256GCM")]
    [InlineData("RSA-OAEP-256", "A256GCM")]
    [InlineData("ECDH-ES", "A256GCM")]
    [InlineData("ML-KEM-768+A192KW", "A256GCM")]
    [InlineData("ECDH-ES+A256KW", "A128GCM")]
    [InlineData("ECDH-ES+A256KW", "A256CBC-HS512")]
    public void AnotherAlgorithmIsRefusedNamingBoth(string alg, string enc)
    {
        using KbsTeeKey key = PythonKey();
        string jwe = WithHeader(h => { h["alg"] = alg; h["enc"] = enc; });

        var error = Assert.Throws<KbsException>(() => key.Open(KbsEncryptedResource.Parse(jwe)));

        Assert.Equal(KbsFailure.UnsupportedAlgorithm, error.Reason);
        Assert.Contains($"alg '{alg}' and enc '{enc}'", error.Message, StringComparison.Ordinal);
        Assert.Contains("expected 'ECDH-ES+A256KW' and 'A256GCM'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("zip")]
    [InlineData("crit")]
    public void HeaderParametersItDoesNotImplementAreRefused(string member)
    {
        using KbsTeeKey key = PythonKey();
        var error = Assert.Throws<KbsException>(() => key.Open(KbsEncryptedResource.Parse(WithHeader(h => h[member] = "DEF"))));
        Assert.Equal(KbsFailure.UnsupportedAlgorithm, error.Reason);
        Assert.Contains($"'{member}'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("protected")]
    [InlineData("encrypted_key")]
    [InlineData("iv")]
    [InlineData("ciphertext")]
    [InlineData("tag")]
    public void AJweWithoutAMemberIsMalformedNamingIt(string member)
    {
        JsonObject jwe = (JsonObject)JsonNode.Parse(PythonJwe)!;
        jwe.Remove(member);

        var error = Assert.Throws<KbsException>(() => KbsEncryptedResource.Parse(jwe.ToJsonString()));

        Assert.Equal(KbsFailure.MalformedResponse, error.Reason);
        Assert.Contains($"'{member}'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{")]
    [InlineData("[]")]
    [InlineData("{\"protected\":\"!!\",\"encrypted_key\":\"\",\"iv\":\"\",\"ciphertext\":\"\",\"tag\":\"\"}")]
    [InlineData("{\"protected\":\"e30\",\"encrypted_key\":\"\",\"iv\":\"\",\"ciphertext\":\"\",\"tag\":\"\"}")]
    [InlineData("{\"protected\":\"bm90IGpzb24\",\"encrypted_key\":\"\",\"iv\":\"\",\"ciphertext\":\"\",\"tag\":\"\"}")]
    public void ResponsesThatAreNotAJweAreMalformed(string text)
    {
        Assert.Equal(KbsFailure.MalformedResponse, Assert.Throws<KbsException>(() => KbsEncryptedResource.Parse(text)).Reason);
    }

    [Theory]
    [InlineData("epk-missing")]
    [InlineData("epk-other-curve")]
    [InlineData("epk-off-curve")]
    [InlineData("key-short")]
    [InlineData("iv-short")]
    public void BadLengthsAndSenderKeysAreMalformed(string change)
    {
        using KbsTeeKey key = PythonKey();
        JsonObject jwe = (JsonObject)JsonNode.Parse(change switch
        {
            "epk-missing" => WithHeader(h => h.Remove("epk")),
            "epk-other-curve" => WithHeader(h => h["epk"]!["crv"] = "P-384"),
            "epk-off-curve" => WithHeader(h => h["epk"]!["y"] = h["epk"]!["x"]!.DeepClone()),
            _ => PythonJwe,
        })!;
        if (change == "key-short")
        {
            jwe["encrypted_key"] = Base64Url.EncodeToString(new byte[32]);
        }
        else if (change == "iv-short")
        {
            jwe["iv"] = Base64Url.EncodeToString(new byte[8]);
        }

        var error = Assert.Throws<KbsException>(() => key.Open(KbsEncryptedResource.Parse(jwe.ToJsonString())));
        Assert.Equal(KbsFailure.MalformedResponse, error.Reason);
    }

    [Theory]
    [InlineData("encrypted_key")]
    [InlineData("iv")]
    [InlineData("ciphertext")]
    [InlineData("tag")]
    public void EveryAlteredByteFailsToDecrypt(string member)
    {
        using KbsTeeKey key = PythonKey();
        JsonObject template = (JsonObject)JsonNode.Parse(PythonJwe)!;
        int length = Base64Url.DecodeFromChars((string)template[member]!).Length;
        for (int i = 0; i < length; i++)
        {
            JsonObject jwe = (JsonObject)template.DeepClone();
            byte[] bytes = Base64Url.DecodeFromChars((string)jwe[member]!);
            bytes[i] ^= 0x01;
            jwe[member] = Base64Url.EncodeToString(bytes);

            var error = Assert.Throws<KbsException>(() => key.Open(KbsEncryptedResource.Parse(jwe.ToJsonString())));
            Assert.Equal(KbsFailure.DecryptionFailed, error.Reason);
        }
    }

    [Fact]
    public void AnAlteredProtectedHeaderFailsAsAuthenticatedData()
    {
        using KbsTeeKey key = PythonKey();
        // Same header meaning, different bytes (a space): the AAD is the protected text as sent.
        string jwe = WithHeader(h => { }, spaced: true);

        Assert.Equal(KbsFailure.DecryptionFailed, Assert.Throws<KbsException>(() => key.Open(KbsEncryptedResource.Parse(jwe))).Reason);
    }

    [Fact]
    public void AJweWrappedToAnotherKeyFailsToDecrypt()
    {
        using var other = new KbsTeeKey();
        var error = Assert.Throws<KbsException>(() => other.Open(KbsEncryptedResource.Parse(PythonJwe)));
        Assert.Equal(KbsFailure.DecryptionFailed, error.Reason);
        Assert.Contains("another key", error.Message, StringComparison.Ordinal);
    }

    private static KbsTeeKey PythonKey() => new(ECDiffieHellman.Create(new ECParameters
    {
        Curve = ECCurve.NamedCurves.nistP256,
        D = Base64Url.DecodeFromChars(PythonD),
        Q = new ECPoint { X = Base64Url.DecodeFromChars(PythonX), Y = Base64Url.DecodeFromChars(PythonY) },
    }));

    private static string WithHeader(Action<JsonObject> change, bool spaced = false)
    {
        JsonObject jwe = (JsonObject)JsonNode.Parse(PythonJwe)!;
        JsonObject header = (JsonObject)JsonNode.Parse(Base64Url.DecodeFromChars((string)jwe["protected"]!))!;
        change(header);
        string text = header.ToJsonString();
        jwe["protected"] = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(spaced ? " " + text : text));
        return jwe.ToJsonString();
    }
}
