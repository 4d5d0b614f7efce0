using System.Reflection;
using EnclaveGen.Runtime.Crypto;

namespace EnclaveGen.Runtime.Tests.Crypto;

/// <summary>Bad arguments get clear exceptions; Dispose zeroes the key material.</summary>
public sealed class ArgumentAndLifetimeTests
{
    private static readonly byte[] s_key = Enumerable.Range(0, 32).Select(i => (byte)(i * 7)).ToArray();

    [Theory]
    [InlineData(0)]
    [InlineData(16)]
    [InlineData(24)]
    [InlineData(31)]
    [InlineData(33)]
    public void KeysThatAreNot32BytesAreRefused(int length)
    {
        foreach (string implementation in AeadImplementations.Names)
        {
            var error = Assert.Throws<ArgumentException>(() => AeadImplementations.Create(implementation, new byte[length]));
            Assert.Equal("key", error.ParamName);
            Assert.Contains($"got {length}", error.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(AeadImplementations.Supported), MemberType = typeof(AeadImplementations))]
    public void WrongNonceTagAndLengthsAreRefusedWithTheParameterNamed(string implementation)
    {
        using var aead = AeadImplementations.Create(implementation, s_key);
        byte[] nonce = new byte[12];
        byte[] input = new byte[40];
        byte[] output = new byte[40];
        byte[] tag = new byte[16];

        Assert.Equal("nonce", Assert.Throws<ArgumentException>(() => aead.Seal(new byte[8], input, output, tag, default)).ParamName);
        Assert.Equal("nonce", Assert.Throws<ArgumentException>(() => aead.Open(new byte[16], input, tag, output, default)).ParamName);
        Assert.Equal("tag", Assert.Throws<ArgumentException>(() => aead.Seal(nonce, input, output, new byte[12], default)).ParamName);
        Assert.Equal("tag", Assert.Throws<ArgumentException>(() => aead.Open(nonce, input, new byte[17], output, default)).ParamName);
        Assert.Equal("ciphertext", Assert.Throws<ArgumentException>(() => aead.Seal(nonce, input, new byte[39], tag, default)).ParamName);
        Assert.Equal("plaintext", Assert.Throws<ArgumentException>(() => aead.Open(nonce, input, tag, new byte[41], default)).ParamName);
    }

    [Theory]
    [MemberData(nameof(AeadImplementations.Supported), MemberType = typeof(AeadImplementations))]
    public void PartlyOverlappingInputAndOutputAreRefused(string implementation)
    {
        using var aead = AeadImplementations.Create(implementation, s_key);
        byte[] nonce = new byte[12];
        byte[] buffer = new byte[100];
        byte[] tag = new byte[16];
        var seal = Assert.Throws<ArgumentException>(() => aead.Seal(nonce, buffer.AsSpan(0, 64), buffer.AsSpan(16, 64), tag, default));
        Assert.Contains("overlap", seal.Message, StringComparison.Ordinal);
        var open = Assert.Throws<ArgumentException>(() => aead.Open(nonce, buffer.AsSpan(1, 64), tag, buffer.AsSpan(0, 64), default));
        Assert.Contains("overlap", open.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(AeadImplementations.Supported), MemberType = typeof(AeadImplementations))]
    public void CallsAfterDisposeThrowObjectDisposedException(string implementation)
    {
        var aead = AeadImplementations.Create(implementation, s_key);
        aead.Dispose();
        aead.Dispose();
        byte[] buffer = new byte[32];
        byte[] tag = new byte[16];
        Assert.Throws<ObjectDisposedException>(() => aead.Seal(new byte[12], buffer, buffer, tag, default));
        Assert.Throws<ObjectDisposedException>(() => aead.Open(new byte[12], buffer, tag, buffer, default));
    }

    [Theory]
    [MemberData(nameof(AeadImplementations.Supported), MemberType = typeof(AeadImplementations))]
    public void DisposeZeroesTheKeyMaterial(string implementation)
    {
        var aead = AeadImplementations.Create(implementation, s_key);
        string fieldName = aead is HardwareAesGcm ? "_keyBlock" : "_key";
        FieldInfo field = aead.GetType().GetField(fieldName, BindingFlags.Instance | BindingFlags.NonPublic)
            ?? throw new InvalidOperationException($"{aead.GetType().Name} has no field {fieldName}");
        byte[] material = (byte[])field.GetValue(aead)!;
        Assert.Contains(material, b => b != 0);
        aead.Dispose();
        Assert.All(material, b => Assert.Equal(0, b));
    }

    [Fact]
    public void FactoryPicksTheWidestHardwareImplementationTheCpuSupports()
    {
        using IBoundaryAead aead = BoundaryAead.Create(s_key);
        if (HardwareAesGcm.IsSupported)
        {
            var hardware = Assert.IsType<HardwareAesGcm>(aead);
            Assert.Equal(HardwareAesGcm.IsVector256Supported, hardware.UsesVector256);
        }
        else
        {
            Assert.IsType<PlatformAesGcm>(aead);
        }
    }
}
