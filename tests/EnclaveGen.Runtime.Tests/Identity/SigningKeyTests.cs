using System.Security.Cryptography;
using EnclaveGen.Runtime.Identity;

namespace EnclaveGen.Runtime.Tests.Identity;

public sealed class SigningKeyTests
{
    [Fact]
    public void MrsignerIsTheSha256OfTheDerSubjectPublicKeyInfo()
    {
        using ECDsa ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using EnclaveSigningKey key = EnclaveSigningKey.FromPem(ecdsa.ExportECPrivateKeyPem(), "sec1");
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(ecdsa.ExportSubjectPublicKeyInfo())), key.Mrsigner.ToString());
        Assert.Equal(EnclaveSigningKey.EcdsaP256, key.Algorithm);
    }

    [Fact]
    public void EcdsaSignaturesAreDeterministicAndVerify()
    {
        using EnclaveSigningKey key = TestKeys.NewEcdsa();
        byte[] message = "fields"u8.ToArray();
        byte[] first = key.Sign(message);
        Assert.Equal(first, key.Sign(message));
        Assert.Equal(64, first.Length);
        Assert.True(EnclaveSigningKey.Verify(key.Algorithm, key.PublicKey, message, first));
        Assert.False(EnclaveSigningKey.Verify(key.Algorithm, key.PublicKey, "other"u8, first));
    }

    [Fact]
    public void Rsa3072KeysSignAndVerify()
    {
        using EnclaveSigningKey key = TestKeys.Rsa3072();
        byte[] signature = key.Sign("fields"u8);
        Assert.Equal(EnclaveSigningKey.Rsa3072, key.Algorithm);
        Assert.Equal(384, signature.Length);
        Assert.True(EnclaveSigningKey.Verify(key.Algorithm, key.PublicKey, "fields"u8, signature));
        Assert.False(EnclaveSigningKey.Verify(EnclaveSigningKey.EcdsaP256, key.PublicKey, "fields"u8, signature));
    }

    [Fact]
    public void Pkcs8KeysOfBothAlgorithmsLoad()
    {
        using ECDsa ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using EnclaveSigningKey ec = EnclaveSigningKey.FromPem(ecdsa.ExportPkcs8PrivateKeyPem(), "pkcs8 ec");
        using EnclaveSigningKey rsa = TestKeys.Rsa3072();
        using EnclaveSigningKey again = EnclaveSigningKey.FromPem(rsa.ExportPrivateKeyPem(), "pkcs8 rsa");
        Assert.Equal(EnclaveSigningKey.EcdsaP256, ec.Algorithm);
        Assert.Equal(rsa.Mrsigner, again.Mrsigner);
    }

    [Fact]
    public void KeysThatAreNotP256OrRsa3072AreRefusedNamingWhatTheyAre()
    {
        using ECDsa p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        using RSA rsa2048 = RSA.Create(2048);
        EnclaveSigningKeyException curve = Assert.Throws<EnclaveSigningKeyException>(() => EnclaveSigningKey.FromPem(p384.ExportPkcs8PrivateKeyPem(), "p384.pem"));
        EnclaveSigningKeyException size = Assert.Throws<EnclaveSigningKeyException>(() => EnclaveSigningKey.FromPem(rsa2048.ExportRSAPrivateKeyPem(), "rsa2048.pem"));
        Assert.Contains("P-256", curve.Message, StringComparison.Ordinal);
        Assert.Contains("2048-bit", size.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EncryptedPublicAndGarbageKeysAreRefused()
    {
        using ECDsa ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        string encrypted = ecdsa.ExportEncryptedPkcs8PrivateKeyPem("pw", new PbeParameters(PbeEncryptionAlgorithm.Aes128Cbc, HashAlgorithmName.SHA256, 1000));
        Assert.Contains("encrypted", Assert.Throws<EnclaveSigningKeyException>(() => EnclaveSigningKey.FromPem(encrypted, "enc.pem")).Message, StringComparison.Ordinal);
        Assert.Contains("not a private key", Assert.Throws<EnclaveSigningKeyException>(() => EnclaveSigningKey.FromPem(ecdsa.ExportSubjectPublicKeyInfoPem(), "pub.pem")).Message, StringComparison.Ordinal);
        Assert.Contains("no PEM", Assert.Throws<EnclaveSigningKeyException>(() => EnclaveSigningKey.FromPem("hello", "junk.pem")).Message, StringComparison.Ordinal);
        Assert.Throws<EnclaveSigningKeyException>(() => EnclaveSigningKey.FromPem("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----", "bad.pem"));
        Assert.Throws<EnclaveSigningKeyException>(() => EnclaveSigningKey.LoadPem(Path.Combine(Path.GetTempPath(), "no-such-key-" + Guid.NewGuid() + ".pem")));
    }
}
