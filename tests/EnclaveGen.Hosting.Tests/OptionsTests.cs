using System.Reflection;
using EnclaveGen.Hosting.Tests.Enclaves;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace EnclaveGen.Hosting.Tests;

/// <summary>EnclaveOptions and EnclaveRestartOptions from the Enclaves:&lt;ClassName&gt; section, then code, validated at start.</summary>
public sealed class OptionsTests
{
    private const string Ledger = "EnclaveGen.Hosting.Tests.Enclaves.Ledger";

    [Fact]
    public void SettingsBindFromTheEnclavesSectionAndCodeHasTheLastWord()
    {
        HostApplicationBuilder builder = TestHosts.Builder(
            null,
            ("Enclaves:Ledger:Mode", "Isolated"),
            ("Enclaves:Ledger:CallTimeout", "00:00:05"),
            ("Enclaves:Ledger:MaxMessageBytes", "65536"),
            ("Enclaves:Ledger:MaxNestingDepth", "3"),
            ("Enclaves:Ledger:Restart:Enabled", "true"),
            ("Enclaves:Ledger:Restart:MaxAttempts", "4"),
            ("Enclaves:Dice:MaxObjectDepth", "9"));
        builder.Services.AddEnclave<Ledger.Proxy>(o => o.MaxNestingDepth = 5, r => r.FirstDelay = TimeSpan.FromSeconds(2));
        builder.Services.AddEnclave<Dice.Proxy>();
        using IHost host = builder.Build();

        EnclaveOptions ledger = host.Services.GetRequiredService<IOptionsMonitor<EnclaveOptions>>().Get(Ledger);
        Assert.Equal(EnclaveMode.Isolated, ledger.Mode);
        Assert.Equal(TimeSpan.FromSeconds(5), ledger.CallTimeout);
        Assert.Equal(65536, ledger.MaxMessageBytes);
        Assert.Equal(5, ledger.MaxNestingDepth);
        Assert.Equal(new EnclaveOptions().SlotWaitTimeout, ledger.SlotWaitTimeout);
        Assert.Equal(new EnclaveOptions().MaxObjectDepth, ledger.MaxObjectDepth);

        EnclaveRestartOptions restart = host.Services.GetRequiredService<IOptionsMonitor<EnclaveRestartOptions>>().Get(Ledger);
        Assert.True(restart.Enabled);
        Assert.Equal(4, restart.MaxAttempts);
        Assert.Equal(TimeSpan.FromSeconds(2), restart.FirstDelay);
        Assert.Equal(new EnclaveRestartOptions().MaxDelay, restart.MaxDelay);

        // Each enclave reads its own section.
        EnclaveOptions dice = host.Services.GetRequiredService<IOptionsMonitor<EnclaveOptions>>().Get("EnclaveGen.Hosting.Tests.Enclaves.Dice");
        Assert.Equal(9, dice.MaxObjectDepth);
        Assert.Equal(EnclaveMode.InProcess, dice.Mode);
    }

    [Theory]
    [InlineData("Enclaves:Dice:MaxMessageBytes", "12", "Enclaves:Dice: MaxMessageBytes must be between 1024")]
    [InlineData("Enclaves:Dice:CallTimeout", "-00:00:01", "Enclaves:Dice: CallTimeout must be positive")]
    [InlineData("Enclaves:Dice:Restart:MaxAttempts", "-1", "Enclaves:Dice:Restart: Restart:MaxAttempts must be zero")]
    public async Task OutOfRangeSettingFailsTheStartNamingTheSectionAndTheSetting(string key, string value, string expected)
    {
        HostApplicationBuilder builder = TestHosts.Builder(null, (key, value));
        builder.Services.AddEnclave<Dice.Proxy>(o => o.Platform = TestHosts.Platform);
        using IHost host = builder.Build();

        OptionsValidationException error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains(expected, error.Message);
        Assert.Equal(EnclaveState.Unavailable, host.Services.GetRequiredService<Dice.Proxy>().Status.State);
    }

    [Theory]
    [InlineData("Enclaves:Dice:Mdoe", "Isolated", "Mdoe")]
    [InlineData("Enclaves:Dice:Mode", "Isolatd", "Isolatd")]
    [InlineData("Enclaves:Dice:Restart:Enbled", "true", "Enbled")]
    public async Task UnknownKeyOrUnreadableValueFailsTheStartNamingIt(string key, string value, string named)
    {
        HostApplicationBuilder builder = TestHosts.Builder(null, (key, value));
        builder.Services.AddEnclave<Dice.Proxy>(o => o.Platform = TestHosts.Platform);
        using IHost host = builder.Build();

        InvalidOperationException error = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync());
        Assert.StartsWith("Configuration section Enclaves:Dice", error.Message);
        Assert.Contains(named, error.Message + error.InnerException?.Message);
    }

    [Fact]
    public void EveryEnclaveOptionThatConfigurationCanCarryHasASetting()
    {
        // A new scalar option on EnclaveOptions must be bindable too: EnclaveSettings lists them by hand.
        string[] scalars = typeof(EnclaveOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite && IsScalar(p.PropertyType))
            .Select(p => p.Name)
            .Order(StringComparer.Ordinal)
            .ToArray();
        string[] settings = typeof(EnclaveSettings).GetProperties()
            .Where(p => p.Name != nameof(EnclaveSettings.Restart))
            .Select(p => p.Name)
            .Order(StringComparer.Ordinal)
            .ToArray();

        Assert.NotEmpty(scalars);
        Assert.Equal(scalars, settings);
    }

    [Fact]
    public void RestartDelaysDoubleFromTheFirstUpToTheMaximum()
    {
        EnclaveRestartOptions restart = new() { FirstDelay = TimeSpan.FromSeconds(1), MaxDelay = TimeSpan.FromSeconds(10) };

        TimeSpan[] delays = [.. Enumerable.Range(1, 6).Select(restart.DelayBefore)];

        Assert.Equal([1, 2, 4, 8, 10, 10], delays.Select(d => d.TotalSeconds));
        Assert.Equal(TimeSpan.FromSeconds(10), restart.DelayBefore(1000));
    }

    private static bool IsScalar(Type type)
    {
        Type bare = Nullable.GetUnderlyingType(type) ?? type;
        return bare.IsPrimitive || bare.IsEnum || bare == typeof(TimeSpan) || bare == typeof(string) || bare == typeof(decimal);
    }
}
