using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using EnclaveGen.Runtime.Identity;

namespace EnclaveGen.Runtime.Tests.Identity;

public sealed class MeasurementTests
{
    private const string Vault = "Vault.Enclave.Vault";

    [Fact]
    public void MrenclaveFollowsTheDocumentedEncoding()
    {
        byte[] helper = TestImages.Library("Helper", "helper code");
        byte[] image = TestImages.Enclave("Vault.Enclave", Vault, maxThreads: 4, heapLimitBytes: 1 << 20, payload: "enclave code", "Helper", "Missing.Optional");
        InMemoryDependencySource dependencies = Source(("Helper", helper));

        EnclaveMeasurementResult result = EnclaveMeasurement.Measure(image, Vault, dependencies);

        // Written from docs/measurement.md, independently of EnclaveMeasurement.
        using MemoryStream expected = new();
        void Field(byte[] bytes)
        {
            Span<byte> length = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32LittleEndian(length, (uint)bytes.Length);
            expected.Write(length);
            expected.Write(bytes);
        }

        Field(Encoding.UTF8.GetBytes("EnclaveGen MRENCLAVE v1"));
        Field(Encoding.UTF8.GetBytes(Vault));
        Field(BitConverter.GetBytes(4));
        Field(BitConverter.GetBytes(1L << 20));
        Field(Encoding.UTF8.GetBytes("Vault.Enclave"));
        Field(SHA256.HashData(image));
        expected.Write(BitConverter.GetBytes(3u)); // EnclaveGen.Runtime (absent), Helper, Missing.Optional (absent); System.Runtime is framework
        Field(Encoding.UTF8.GetBytes("EnclaveGen.Runtime"));
        Field([]);
        Field(Encoding.UTF8.GetBytes("Helper"));
        Field(SHA256.HashData(helper));
        Field(Encoding.UTF8.GetBytes("Missing.Optional"));
        Field([]);

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(expected.ToArray())), result.Mrenclave.ToString());
        Assert.Equal(["EnclaveGen.Runtime", "Helper", "Missing.Optional"], result.Dependencies.Select(d => d.AssemblyName));
        Assert.Null(result.Dependencies[0].ImageHash);
    }

    [Fact]
    public void SameImageAndDependenciesMeasureTheSame()
    {
        byte[] image = TestImages.Enclave("Vault.Enclave", Vault);
        Assert.Equal(
            EnclaveMeasurement.Measure(image, Vault, InMemoryDependencySource.Empty).Mrenclave,
            EnclaveMeasurement.Measure(image.ToArray(), Vault, InMemoryDependencySource.Empty).Mrenclave);
    }

    [Fact]
    public void ChangedCodeInTheLibraryChangesMrenclave()
    {
        EnclaveHash before = Measure(TestImages.Enclave("Vault.Enclave", Vault, payload: "return a;"));
        EnclaveHash after = Measure(TestImages.Enclave("Vault.Enclave", Vault, payload: "return b;"));
        Assert.NotEqual(before, after);
    }

    [Fact]
    public void EveryChangedByteOfTheLibraryChangesMrenclave()
    {
        byte[] image = TestImages.Enclave("Vault.Enclave", Vault);
        EnclaveHash original = Measure(image);
        for (int i = 0; i < image.Length; i += 97)
        {
            byte[] changed = image.ToArray();
            changed[i] ^= 0x01;
            try
            {
                Assert.NotEqual(original, EnclaveMeasurement.Measure(changed, Vault, InMemoryDependencySource.Empty).Mrenclave);
            }
            catch (EnclaveImageException)
            {
                // The flip broke the metadata: the image cannot be measured at all, which also refuses it.
            }
        }
    }

    [Fact]
    public void MaxThreadsAndHeapLimitAreMeasured()
    {
        EnclaveHash baseline = Measure(TestImages.Enclave("Vault.Enclave", Vault, maxThreads: 8, heapLimitBytes: 0));
        Assert.NotEqual(baseline, Measure(TestImages.Enclave("Vault.Enclave", Vault, maxThreads: 16, heapLimitBytes: 0)));
        Assert.NotEqual(baseline, Measure(TestImages.Enclave("Vault.Enclave", Vault, maxThreads: 8, heapLimitBytes: 4096)));
    }

    [Fact]
    public void EachEnclaveClassOfALibraryHasItsOwnMrenclave()
    {
        byte[] image = TestImages.Create("Two.Enclaves", [new("Two.A", 8, 0), new("Two.B", 8, 0)], "code", []);
        IReadOnlyList<EnclaveMeasurementResult> all = EnclaveMeasurement.MeasureAll(image, InMemoryDependencySource.Empty);
        Assert.Equal(["Two.A", "Two.B"], all.Select(m => m.Definition.EnclaveTypeName));
        Assert.NotEqual(all[0].Mrenclave, all[1].Mrenclave);
    }

    [Fact]
    public void ChangedReferencedLibraryChangesMrenclave()
    {
        byte[] image = TestImages.Enclave("Vault.Enclave", Vault, references: "Helper");
        EnclaveHash v1 = EnclaveMeasurement.Measure(image, Vault, Source(("Helper", TestImages.Library("Helper", "mix v1")))).Mrenclave;
        EnclaveHash v2 = EnclaveMeasurement.Measure(image, Vault, Source(("Helper", TestImages.Library("Helper", "mix v2")))).Mrenclave;
        EnclaveHash absent = EnclaveMeasurement.Measure(image, Vault, InMemoryDependencySource.Empty).Mrenclave;
        Assert.Equal(3, new[] { v1, v2, absent }.Distinct().Count());
    }

    [Fact]
    public void LibrariesReferencedThroughOtherLibrariesAreMeasured()
    {
        byte[] image = TestImages.Enclave("Vault.Enclave", Vault, references: "Helper");
        byte[] helper = TestImages.Library("Helper", "helper", "Deep");
        EnclaveMeasurementResult v1 = EnclaveMeasurement.Measure(image, Vault, Source(("Helper", helper), ("Deep", TestImages.Library("Deep", "deep v1"))));
        EnclaveMeasurementResult v2 = EnclaveMeasurement.Measure(image, Vault, Source(("Helper", helper), ("Deep", TestImages.Library("Deep", "deep v2"))));
        Assert.Contains(v1.Dependencies, d => d.AssemblyName == "Deep" && d.ImageHash is not null);
        Assert.NotEqual(v1.Mrenclave, v2.Mrenclave);
    }

    [Fact]
    public void FrameworkAssembliesAreNotMeasuredEvenWhenPresent()
    {
        // A self-contained app has System.Runtime.dll beside the enclave; it measures as in a framework-dependent one.
        byte[] image = TestImages.Enclave("Vault.Enclave", Vault, references: "System.Text.Json");
        EnclaveMeasurementResult without = EnclaveMeasurement.Measure(image, Vault, InMemoryDependencySource.Empty);
        EnclaveMeasurementResult with = EnclaveMeasurement.Measure(image, Vault, Source(("System.Runtime", TestImages.Library("System.Runtime")), ("System.Text.Json", TestImages.Library("System.Text.Json"))));
        Assert.Equal(without.Mrenclave, with.Mrenclave);
        Assert.DoesNotContain(with.Dependencies, d => d.AssemblyName.StartsWith("System.", StringComparison.Ordinal));
        Assert.True(FrameworkAssemblies.Contains("System.Private.CoreLib"));
        Assert.False(FrameworkAssemblies.Contains("BouncyCastle.Cryptography"));
    }

    [Fact]
    public void AnEnclaveTheImageDoesNotRecordFailsNamingTheOnesItDoes()
    {
        byte[] image = TestImages.Enclave("Vault.Enclave", Vault);
        EnclaveImageException error = Assert.Throws<EnclaveImageException>(() => EnclaveMeasurement.Measure(image, "Vault.Enclave.Other", InMemoryDependencySource.Empty));
        Assert.Contains("Vault.Enclave.Other", error.Message, StringComparison.Ordinal);
        Assert.Contains(Vault, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ADefinitionNamingATypeTheImageDoesNotDefineFails()
    {
        byte[] image = TestImages.Create("Vault.Enclave", [new(Vault, 8, 0)], "code", [], defineEnclaveTypes: false);
        EnclaveImageException error = Assert.Throws<EnclaveImageException>(() => EnclaveMeasurement.Measure(image, Vault, InMemoryDependencySource.Empty));
        Assert.Contains("does not define that type", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(64)]
    [InlineData(4096)]
    public void BytesThatAreNotAnAssemblyFailWithATypedError(int length)
    {
        byte[] junk = new byte[length];
        new Random(length).NextBytes(junk);
        EnclaveImageException error = Assert.Throws<EnclaveImageException>(() => EnclaveMeasurement.Measure(junk, Vault, InMemoryDependencySource.Empty, "junk.dll"));
        Assert.Contains("junk.dll", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheImageRecordsItsEnclavesAndReferences()
    {
        EnclaveImage image = EnclaveImage.Read(TestImages.Enclave("Vault.Enclave", Vault, maxThreads: 3, heapLimitBytes: 99, references: "Helper"), "test");
        Assert.Equal("Vault.Enclave", image.AssemblyName);
        Assert.Equal(new EnclaveDefinition(Vault, 3, 99), Assert.Single(image.Enclaves));
        Assert.Equal(["System.Runtime", "EnclaveGen.Runtime", "Helper"], image.ReferencedAssemblies);
    }

    private static EnclaveHash Measure(byte[] image) => EnclaveMeasurement.Measure(image, Vault, InMemoryDependencySource.Empty).Mrenclave;

    private static InMemoryDependencySource Source(params (string Name, byte[] Image)[] images)
        => new(images.Select(i => new KeyValuePair<string, ReadOnlyMemory<byte>>(i.Name, i.Image)));
}
