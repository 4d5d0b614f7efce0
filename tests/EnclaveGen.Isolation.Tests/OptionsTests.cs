using EnclaveGen.Isolation.Tests.Enclaves;

namespace EnclaveGen.Isolation.Tests;

/// <summary>Isolated-mode options are checked before any process starts.</summary>
public sealed class OptionsTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public async Task CallTimeoutMustBePositiveOrInfinite(int milliseconds)
    {
        ArgumentOutOfRangeException refused = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () =>
            await Soak.CreateEnclaveAsync(new SoakHost(1, 1), new EnclaveOptions { Mode = EnclaveMode.Isolated, CallTimeout = TimeSpan.FromMilliseconds(milliseconds) }));
        Assert.Equal(nameof(EnclaveOptions.CallTimeout), refused.ParamName);
    }

    [Fact]
    public async Task AnUnknownModeIsRefused()
    {
        ArgumentOutOfRangeException refused = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () =>
            await Soak.CreateEnclaveAsync(new SoakHost(1, 1), new EnclaveOptions { Mode = (EnclaveMode)7 }));
        Assert.Equal(nameof(EnclaveOptions.Mode), refused.ParamName);
    }

    [Fact]
    public void DefaultsAreInProcessAndNoTimeout()
    {
        Assert.Equal(EnclaveMode.InProcess, EnclaveOptions.Default.Mode);
        Assert.Equal(Timeout.InfiniteTimeSpan, EnclaveOptions.Default.CallTimeout);
    }
}
