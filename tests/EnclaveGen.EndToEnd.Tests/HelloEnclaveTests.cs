using HelloEnclave.Host;

namespace EnclaveGen.EndToEnd.Tests;

/// <summary>The README's first command, `dotnet run --project samples/HelloEnclave`, does what it says.</summary>
public sealed class HelloEnclaveTests
{
    [Theory]
    [InlineData(EnclaveMode.InProcess)]
    [InlineData(EnclaveMode.Isolated)]
    public async Task SampleRunsAnEcallAndAnOcallAndTheHostSeesOnlySealedBytes(EnclaveMode mode)
    {
        StringWriter output = new();

        await HelloApp.RunAsync(output, mode).WaitAsync(TimeSpan.FromSeconds(60));

        string text = output.ToString();
        Assert.Contains("host -> ECALL Greet(\"Alice\")", text);
        Assert.Contains("host served OCALL Log(\"a visitor was greeted; 1 distinct visitors so far\")", text);
        Assert.Contains("host <- \"Hello, Alice!\"", text);
        Assert.Contains("host <- \"Welcome back, Alice (visit 2).\"", text);
        Assert.Contains("host <- 2", text);
        Assert.Contains("[boundary] OcallRequest", text);
        Assert.DoesNotContain("visible to host: YES", text);

        // Three Greet calls cross four times each (ECALL in, OCALL out, OCALL result in, ECALL
        // result out); DistinctVisitors crosses twice.
        Assert.Equal(14, text.Split("[boundary]").Length - 1);
        Assert.Equal(14, text.Split("plaintext name visible to host: no").Length - 1);
    }

    [Fact]
    public async Task UnderTrustZoneEmulatedTheSampleRunsAsATrustedApplicationOpenedByUuid()
    {
        StringWriter output = new();

        await HelloApp.RunAsync(output, EnclaveMode.InProcess, TeeProfile.TrustZoneEmulated).WaitAsync(TimeSpan.FromSeconds(60));

        string text = output.ToString();
        Assert.Contains($"client -> OpenSession({HelloEnclave.Greeter.TrustedApplication.Uuid})", text);
        Assert.Contains("client <- \"Hello, Alice!\"", text);
        Assert.Contains("client <- \"Welcome back, Alice (visit 2).\"", text);
        Assert.Contains("client <- 2", text);
        Assert.Contains("host served OCALL Log(\"a visitor was greeted; 2 distinct visitors so far\")", text);
        Assert.Contains("<- NotImplemented (0xffff0009) from TrustedApplication", text);
        Assert.DoesNotContain("visible to host: YES", text);
        Assert.Equal(14, text.Split("plaintext name visible to host: no").Length - 1);
    }
}
