namespace EnclaveGen.Runtime.Tests;

/// <summary>Tests that change the process's local time zone run alone, after the parallel ones.</summary>
[CollectionDefinition(nameof(LocalTimeZone), DisableParallelization = true)]
public sealed class LocalTimeZone
{
    /// <summary>Runs <paramref name="test"/> with <paramref name="zone"/> (an IANA name) as the local time zone.</summary>
    public static void Use(string zone, Action test)
    {
        string? saved = Environment.GetEnvironmentVariable("TZ");
        Environment.SetEnvironmentVariable("TZ", zone);
        TimeZoneInfo.ClearCachedData();
        try
        {
            Assert.Equal(zone, TimeZoneInfo.Local.Id);
            test();
        }
        finally
        {
            Environment.SetEnvironmentVariable("TZ", saved);
            TimeZoneInfo.ClearCachedData();
        }
    }
}
