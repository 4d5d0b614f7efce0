using System.Security.Cryptography;
using EnclaveGen.Runtime.Identity;

namespace EnclaveGen.Runtime.Tests.Identity;

/// <summary>Signer keys for tests, and signing of in-memory images.</summary>
internal static class TestKeys
{
    private static readonly Lazy<string> s_rsa3072 = new(() =>
    {
        using RSA rsa = RSA.Create(3072);
        return rsa.ExportPkcs8PrivateKeyPem();
    });

    public static EnclaveSigningKey NewEcdsa() => EnclaveSigningKey.CreateEcdsaP256();

    /// <summary>One RSA-3072 key per test run (generating one takes a while).</summary>
    public static EnclaveSigningKey Rsa3072() => EnclaveSigningKey.FromPem(s_rsa3072.Value, "test RSA-3072 key");

    public static EnclaveSignatureFile Sign(byte[] image, IEnclaveDependencySource dependencies, EnclaveSigningKey key, ushort productId = 0, ushort securityVersion = 0, bool isDebug = false)
    {
        IReadOnlyList<EnclaveMeasurementResult> measured = EnclaveMeasurement.MeasureAll(image, dependencies);
        return new EnclaveSignatureFile(
            measured[0].Library.AssemblyName,
            measured.Select(m => EnclaveSignature.Sign(m, key, productId, securityVersion, isDebug)).ToList());
    }
}
