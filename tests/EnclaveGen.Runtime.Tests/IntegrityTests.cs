using EnclaveGen.Runtime.Tests.Enclaves;

namespace EnclaveGen.Runtime.Tests;

/// <summary>A hostile host that alters, truncates or replays sealed messages stops the enclave for good.</summary>
public abstract class IntegrityTests(EnclaveMode mode)
{
    [Theory]
    [InlineData(MessageKind.EcallRequest, 0)]       // a header bit (authenticated data)
    [InlineData(MessageKind.EcallRequest, 20)]      // a ciphertext bit
    [InlineData(MessageKind.EcallRequest, -1)]      // a tag bit
    [InlineData(MessageKind.EcallResult, 20)]
    [InlineData(MessageKind.OcallRequest, 20)]
    [InlineData(MessageKind.OcallResult, -1)]
    public async Task TamperedMessageHaltsTheEnclave(MessageKind target, int offset)
    {
        bool tampered = false;
        DelegateInterceptor interceptor = new(message =>
        {
            if (tampered || message.Kind != target)
            {
                return null;
            }

            tampered = true;
            byte[] altered = (byte[])message.Bytes.Clone();
            int index = offset >= 0 ? Math.Min(offset, altered.Length - 1) : altered.Length + offset;
            altered[index] ^= 0x04;
            return altered;
        });
        await using Zoo.Proxy zoo = await Zoo.CreateEnclaveAsync(new ZooHost(), new EnclaveOptions { Mode = mode, Interceptor = interceptor });

        // Header bit 0x04 of byte 0 changes the version, which is checked before authentication;
        // either way the message is refused as an integrity violation.
        Exception failure = Assert.ThrowsAny<Exception>(() => zoo.OcallRoundTrip("secret", 1, [1]));
        Assert.True(
            failure is EnclaveIntegrityException or TrustedCodeException { ExceptionTypeName: "EnclaveGen.EnclaveIntegrityException" },
            $"expected an integrity failure, got {failure}");
        Assert.True(tampered);
        AssertHalted(zoo);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(31)]
    [InlineData(33)]
    public async Task TruncatedMessageHaltsTheEnclave(int keep)
    {
        bool truncated = false;
        DelegateInterceptor interceptor = new(message =>
        {
            if (truncated || message.Kind != MessageKind.EcallRequest)
            {
                return null;
            }

            truncated = true;
            return message.Bytes.AsSpan(0, Math.Min(keep, message.Bytes.Length)).ToArray();
        });
        await using Zoo.Proxy zoo = await Zoo.CreateEnclaveAsync(new ZooHost(), new EnclaveOptions { Mode = mode, Interceptor = interceptor });

        EnclaveIntegrityException exception = Assert.Throws<EnclaveIntegrityException>(() => zoo.EchoString("hello"));
        Assert.Contains(keep < 32 ? "truncated" : "authentication", exception.Message);
        AssertHalted(zoo);
    }

    [Fact]
    public async Task ReplayedRequestHaltsTheEnclave()
    {
        byte[]? recorded = null;
        bool replay = false;
        DelegateInterceptor interceptor = new(message =>
        {
            if (message.Kind != MessageKind.EcallRequest)
            {
                return null;
            }

            recorded ??= message.Bytes;
            return replay ? recorded : null;
        });
        await using Zoo.Proxy zoo = await Zoo.CreateEnclaveAsync(new ZooHost(), new EnclaveOptions { Mode = mode, Interceptor = interceptor });

        Assert.Equal(1, zoo.EchoInt32(1));
        Assert.Equal(2, zoo.EchoInt32(2));
        replay = true;

        EnclaveIntegrityException exception = Assert.Throws<EnclaveIntegrityException>(() => zoo.EchoInt32(3));
        Assert.Contains("replay", exception.Message);
        AssertHalted(zoo);
    }

    [Fact]
    public async Task MessageReflectedBackToItsSenderIsRefused()
    {
        // An ECALL result sent back in as the next request: same key, wrong direction in the nonce.
        byte[]? result = null;
        DelegateInterceptor interceptor = new(message =>
        {
            if (message.Kind == MessageKind.EcallResult)
            {
                result = message.Bytes;
            }

            return message.Kind == MessageKind.EcallRequest && result is not null ? result : null;
        });
        await using Zoo.Proxy zoo = await Zoo.CreateEnclaveAsync(new ZooHost(), new EnclaveOptions { Mode = mode, Interceptor = interceptor });

        zoo.EchoInt32(1);
        Assert.Throws<EnclaveIntegrityException>(() => zoo.EchoInt32(2));
        AssertHalted(zoo);
    }

    [Fact]
    public async Task HostSeesOnlyCiphertext()
    {
        DelegateInterceptor interceptor = new(_ => null);
        await using Zoo.Proxy zoo = await Zoo.CreateEnclaveAsync(new ZooHost(), new EnclaveOptions { Mode = mode, Interceptor = interceptor });
        string secret = "correct horse battery staple";

        zoo.OcallRoundTrip(secret, 1, [0xAB, 0xCD, 0xEF, 0x01]);

        byte[] utf16 = System.Text.Encoding.Unicode.GetBytes(secret);
        Assert.NotEmpty(interceptor.Seen);
        Assert.All(interceptor.Seen, message => Assert.True(message.Bytes.AsSpan().IndexOf(utf16) < 0, $"{message.Kind} leaked the plaintext"));
    }

    private static void AssertHalted(Zoo.Proxy zoo)
    {
        EnclaveHaltedException halted = Assert.Throws<EnclaveHaltedException>(() => zoo.EchoInt32(1));
        Assert.Contains("integrity", halted.Message);
    }
}
