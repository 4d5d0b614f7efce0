using EnclaveGen.Runtime.Tests.Enclaves;

namespace EnclaveGen.Runtime.Tests;

/// <summary>OCALLs leave through the running ECALL's slot, in every direction, and fail clearly elsewhere.</summary>
public abstract class OcallTests(EnclaveMode mode)
{
    [Fact]
    public async Task EveryDirectionCrossesOutAndBack()
    {
        await using Zoo.Proxy zoo = await Zoo.CreateEnclaveAsync(new ZooHost(), new EnclaveOptions { Mode = mode });

        string result = zoo.OcallRoundTrip("text", 41, [1, 2, 3]);

        Assert.Equal("text|42|030201|42|filled by host|11", result);
    }

    [Fact]
    public async Task OcallContextSurvivesAwaitInsideTrustedCode()
    {
        await using Zoo.Proxy zoo = await Zoo.CreateEnclaveAsync(new ZooHost(), new EnclaveOptions { Mode = mode });

        Assert.Equal(105, zoo.OcallAfterAwait(5));
    }

    [Fact]
    public void OcallOutsideAnEcallIsAClearError()
    {
        EnclaveCallContextException exception = Assert.Throws<EnclaveCallContextException>(() => Zoo.OcallOutsideEcall());
        Assert.Contains("outside an ECALL", exception.Message);
        Assert.Contains("HostAdd", exception.Message);
    }

    [Fact]
    public async Task HostExceptionArrivesInsideAsUntrustedCodeException()
    {
        await using Zoo.Proxy zoo = await Zoo.CreateEnclaveAsync(new ZooHost(), new EnclaveOptions { Mode = mode });

        Assert.Equal("System.ArgumentException: host says no", zoo.CatchHostFailure());
    }

    [Fact]
    public async Task TrustedExceptionCrossesAsTypedExceptionWithMessageForDebugEnclave()
    {
        await using Zoo.Proxy zoo = await Zoo.CreateEnclaveAsync(new ZooHost(), new EnclaveOptions { Mode = mode });

        TrustedCodeException exception = Assert.Throws<TrustedCodeException>(() => zoo.Throw("boom"));
        Assert.Equal("System.InvalidOperationException", exception.ExceptionTypeName);
        Assert.Equal("boom", exception.EnclaveMessage);
        Assert.Equal("Throw", exception.Method);

        // The enclave is still usable: an exception in trusted code is not an integrity fault.
        Assert.Equal(3, zoo.EchoInt32(3));
    }

    [Fact]
    public async Task EcallNestedInsideAnOcallReusesTheSlot()
    {
        ZooHost host = new();
        await using Zoo.Proxy zoo = await Zoo.CreateEnclaveAsync(host, new EnclaveOptions { Mode = mode });
        host.Proxy = zoo;

        // Each level holds the slot while its OCALL makes the next ECALL; with 2 slots and 5
        // levels this only works if nested calls reuse the caller's slot.
        Assert.Equal(5, zoo.Nest(5));
    }

    [Fact]
    public async Task NestingBeyondTheLimitFailsAndTheEnclaveStaysUsable()
    {
        ZooHost host = new();
        await using Zoo.Proxy zoo = await Zoo.CreateEnclaveAsync(host, new EnclaveOptions { Mode = mode, MaxNestingDepth = 3 });
        host.Proxy = zoo;

        TrustedCodeException exception = Assert.Throws<TrustedCodeException>(() => zoo.Nest(10));
        Assert.Equal(typeof(UntrustedCodeException).FullName, exception.ExceptionTypeName);
        Assert.Contains("MaxNestingDepth", exception.Message);
        Assert.Equal(2, zoo.Nest(2));
    }
}
