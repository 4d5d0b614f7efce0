using System.Text;
using EnclaveGen.Runtime.Identity;

namespace EnclaveGen.Runtime.Tests.Identity;

/// <summary>The loader's checks, on files in a temporary folder as the loader sees them.</summary>
public sealed class ImageVerifierTests : IDisposable
{
    private const string Vault = "Vault.Enclave.Vault";
    private readonly string _folder = Directory.CreateTempSubdirectory("egverify").FullName;
    private readonly string _imagePath;
    private readonly string _signaturePath;
    private readonly EnclaveSigningKey _key = TestKeys.NewEcdsa();

    public ImageVerifierTests()
    {
        _imagePath = Path.Combine(_folder, "Vault.Enclave.dll");
        _signaturePath = Path.Combine(_folder, "Vault.Enclave.sigstruct.json");
        File.WriteAllBytes(_imagePath, TestImages.Enclave("Vault.Enclave", Vault, maxThreads: 4, references: "Helper"));
        File.WriteAllBytes(Path.Combine(_folder, "Helper.dll"), TestImages.Library("Helper", "v1"));
        EnclaveImageSigner.Sign(_imagePath, _key, productId: 7, securityVersion: 3, isDebug: false);
    }

    public void Dispose()
    {
        _key.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public void ASignedImageVerifiesToItsIdentity()
    {
        EnclaveIdentity identity = EnclaveImageVerifier.Verify(_imagePath, Vault);
        Assert.Equal(EnclaveMeasurement.Measure(_imagePath, Vault).Mrenclave, identity.Mrenclave);
        Assert.Equal(_key.Mrsigner, identity.Mrsigner);
        Assert.Equal((ushort)7, identity.ProductId);
        Assert.Equal((ushort)3, identity.SecurityVersion);
        Assert.False(identity.IsDebug);
        Assert.True(identity.IsSigned);
        Assert.Equal(4, identity.MaxThreads);
        Assert.Equal(_signaturePath, EnclaveSignatureFile.PathFor(_imagePath));
    }

    [Fact]
    public void AChangedByteInTheImageFailsNamingSignedAndMeasuredMrenclave()
    {
        string signed = EnclaveSignatureFile.Load(_signaturePath).Enclaves[0].Mrenclave.ToString();
        byte[] image = File.ReadAllBytes(_imagePath);
        image[image.Length / 2] ^= 0x20;
        File.WriteAllBytes(_imagePath, image);

        EnclaveSignatureException error = Assert.Throws<EnclaveSignatureException>(() => EnclaveImageVerifier.Verify(_imagePath, Vault));

        Assert.Equal(EnclaveSignatureFailure.MeasurementMismatch, error.Reason);
        Assert.Equal(signed, error.Expected);
        Assert.NotEqual(signed, error.Actual);
        Assert.Contains(signed, error.Message, StringComparison.Ordinal);
        Assert.Contains(error.Actual, error.Message, StringComparison.Ordinal);
        Assert.Contains("Vault.Enclave (signed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AChangedReferencedLibraryIsNamedInTheError()
    {
        File.WriteAllBytes(Path.Combine(_folder, "Helper.dll"), TestImages.Library("Helper", "v2"));
        EnclaveSignatureException error = Assert.Throws<EnclaveSignatureException>(() => EnclaveImageVerifier.Verify(_imagePath, Vault));
        Assert.Equal(EnclaveSignatureFailure.MeasurementMismatch, error.Reason);
        Assert.Contains("Helper (signed", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Vault.Enclave (signed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AChangedSignatureFailsNamingTheSigner()
    {
        string json = File.ReadAllText(_signaturePath);
        EnclaveSignature entry = EnclaveSignatureFile.Load(_signaturePath).Enclaves[0];
        byte[] signature = entry.Signature.ToArray();
        signature[10] ^= 1;
        File.WriteAllText(_signaturePath, json.Replace(Convert.ToBase64String(entry.Signature), Convert.ToBase64String(signature), StringComparison.Ordinal));

        EnclaveSignatureException error = Assert.Throws<EnclaveSignatureException>(() => EnclaveImageVerifier.Verify(_imagePath, Vault));

        Assert.Equal(EnclaveSignatureFailure.SignatureInvalid, error.Reason);
        Assert.Contains(_key.Mrsigner.ToString(), error.Expected, StringComparison.Ordinal);
        Assert.Contains("does not verify", error.Actual, StringComparison.Ordinal);
    }

    [Fact]
    public void ARaisedSecurityVersionWithoutResigningFails()
    {
        string json = File.ReadAllText(_signaturePath);
        File.WriteAllText(_signaturePath, json.Replace("\"securityVersion\": 3", "\"securityVersion\": 4", StringComparison.Ordinal));
        EnclaveSignatureException error = Assert.Throws<EnclaveSignatureException>(() => EnclaveImageVerifier.Verify(_imagePath, Vault));
        Assert.Equal(EnclaveSignatureFailure.SignatureInvalid, error.Reason);
        Assert.Contains("ISVSVN 4", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ASignatureUnderAnotherKeyDoesNotPassAsTheOriginalSigner()
    {
        using EnclaveSigningKey other = TestKeys.NewEcdsa();
        EnclaveSignatureFile file = EnclaveSignatureFile.Load(_signaturePath);
        EnclaveSignature original = file.Enclaves[0];
        // Swap in another public key but keep the original signature: the signature no longer verifies.
        EnclaveSignature swapped = new(original.EnclaveTypeName, original.Mrenclave, original.ProductId, original.SecurityVersion, original.IsDebug, original.Algorithm, other.PublicKey, original.Signature, original.MaxThreads, original.HeapLimitBytes, original.Components);
        new EnclaveSignatureFile(file.AssemblyName, [swapped]).Save(_signaturePath);

        EnclaveSignatureException error = Assert.Throws<EnclaveSignatureException>(() => EnclaveImageVerifier.Verify(_imagePath, Vault));
        Assert.Equal(EnclaveSignatureFailure.SignatureInvalid, error.Reason);
        Assert.Contains(other.Mrsigner.ToString(), error.Expected, StringComparison.Ordinal);
    }

    [Fact]
    public void AMissingSignatureFileFailsNamingTheExpectedPath()
    {
        File.Delete(_signaturePath);
        EnclaveSignatureException error = Assert.Throws<EnclaveSignatureException>(() => EnclaveImageVerifier.Verify(_imagePath, Vault));
        Assert.Equal(EnclaveSignatureFailure.SignatureFileMissing, error.Reason);
        Assert.Equal(_signaturePath, error.Expected);
        Assert.Equal("no such file", error.Actual);
        Assert.Contains(_signaturePath, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void APlatformThatAllowsUnsignedImagesGetsAnIdentityThatSaysSo()
    {
        File.Delete(_signaturePath);
        using EnclavePlatform platform = EnclavePlatform.CreateInMemory(allowUnsignedImages: true);
        EnclaveIdentity identity = EnclaveImageVerifier.Verify(_imagePath, Vault, platform.AllowsUnsignedImages);
        Assert.False(identity.IsSigned);
        Assert.True(identity.IsDebug);
        Assert.True(identity.Mrsigner.IsZero);
        Assert.Equal(EnclaveMeasurement.Measure(_imagePath, Vault).Mrenclave, identity.Mrenclave);
        Assert.Contains("UNSIGNED", identity.ToString(), StringComparison.Ordinal);
        Assert.False(EnclavePlatform.CreateInMemory().AllowsUnsignedImages);
    }

    [Fact]
    public void AllowingUnsignedImagesStillChecksASignatureThatIsThere()
    {
        File.WriteAllBytes(Path.Combine(_folder, "Helper.dll"), TestImages.Library("Helper", "v2"));
        Assert.Throws<EnclaveSignatureException>(() => EnclaveImageVerifier.Verify(_imagePath, Vault, allowUnsigned: true));
    }

    [Theory]
    [InlineData("")]
    [InlineData("{}")]
    [InlineData("{\"format\":\"enclavegen-sigstruct\",\"version\":2,\"assembly\":\"x\",\"enclaves\":[]}")]
    [InlineData("{\"format\":\"enclavegen-sigstruct\",\"version\":1,\"assembly\":\"x\",\"enclaves\":[{\"type\":\"T\"}]}")]
    public void AMalformedSignatureFileFailsWithATypedError(string content)
    {
        File.WriteAllText(_signaturePath, content, Encoding.UTF8);
        EnclaveSignatureException error = Assert.Throws<EnclaveSignatureException>(() => EnclaveImageVerifier.Verify(_imagePath, Vault));
        Assert.Equal(EnclaveSignatureFailure.SignatureFileMalformed, error.Reason);
    }

    [Fact]
    public void ASignatureFileWithoutTheEnclaveFailsNamingWhatItSigns()
    {
        EnclaveSignatureException error = Assert.Throws<EnclaveSignatureException>(() => EnclaveImageVerifier.Verify(_imagePath, "Vault.Enclave.Other"));
        Assert.Equal(EnclaveSignatureFailure.EnclaveNotSigned, error.Reason);
        Assert.Equal(Vault, error.Actual);
    }

    [Fact]
    public void TheSignatureFileRoundTripsAndRecordsTheComponents()
    {
        EnclaveSignatureFile file = EnclaveSignatureFile.Load(_signaturePath);
        EnclaveSignatureFile again = EnclaveSignatureFile.Parse(file.ToUtf8Json());
        Assert.Equal(file.ToUtf8Json(), again.ToUtf8Json());
        Assert.Equal(["Vault.Enclave", "EnclaveGen.Runtime", "Helper"], file.Enclaves[0].Components.Select(c => c.AssemblyName));
        Assert.True(again.Enclaves[0].VerifySignature());
    }

    [Fact]
    public void SigningTheSameImageTwiceWritesTheSameFile()
    {
        byte[] first = File.ReadAllBytes(_signaturePath);
        EnclaveImageSigner.Sign(_imagePath, _key, productId: 7, securityVersion: 3, isDebug: false);
        Assert.Equal(first, File.ReadAllBytes(_signaturePath));
    }

    [Fact]
    public void ImagesVerifyFromBytesWithoutFiles()
    {
        byte[] image = TestImages.Enclave("Mem.Enclave", "Mem.Enclave.E");
        using EnclaveSigningKey rsa = TestKeys.Rsa3072();
        EnclaveSignatureFile signature = TestKeys.Sign(image, InMemoryDependencySource.Empty, rsa, productId: 1, securityVersion: 2, isDebug: true);
        EnclaveIdentity identity = EnclaveImageVerifier.Verify(image, "Mem.Enclave.E", InMemoryDependencySource.Empty, signature);
        Assert.Equal(rsa.Mrsigner, identity.Mrsigner);
        Assert.True(identity.IsDebug);

        image[^1] ^= 1;
        Assert.Equal(EnclaveSignatureFailure.MeasurementMismatch, Assert.Throws<EnclaveSignatureException>(() => EnclaveImageVerifier.Verify(image, "Mem.Enclave.E", InMemoryDependencySource.Empty, signature)).Reason);
        Assert.Equal(EnclaveSignatureFailure.SignatureFileMissing, Assert.Throws<EnclaveSignatureException>(() => EnclaveImageVerifier.Verify(image, "Mem.Enclave.E", InMemoryDependencySource.Empty, null)).Reason);
    }
}
