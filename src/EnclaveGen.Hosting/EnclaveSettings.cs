namespace EnclaveGen.Hosting;

/// <summary>
/// The settings of <see cref="EnclaveOptions"/> that configuration can carry: numbers, time spans
/// the mode and the TEE profile. The others are objects only code can supply (the platform, an interceptor, a
/// logger factory). Each is nullable so that a key the configuration lacks leaves the option as
/// it was.
/// </summary>
internal sealed class EnclaveSettings
{
    public EnclaveMode? Mode { get; set; }

    /// <summary>The TEE profile by its enum name (for example <c>CvmEmulated</c>).</summary>
    public TeeProfile? Profile { get; set; }

    public TimeSpan? SlotWaitTimeout { get; set; }

    public TimeSpan? CallTimeout { get; set; }

    public int? MaxMessageBytes { get; set; }

    public int? MaxNestingDepth { get; set; }

    public int? MaxObjectDepth { get; set; }

    /// <summary>Read by <see cref="BindRestartOptions"/>; named here so that <c>Restart</c> is a known key of the section.</summary>
    public EnclaveRestartOptions? Restart { get; set; }

    public void ApplyTo(EnclaveOptions options)
    {
        if (Mode is { } mode)
        {
            options.Mode = mode;
        }

        if (Profile is { } profile)
        {
            options.Profile = profile;
        }

        if (SlotWaitTimeout is { } slotWaitTimeout)
        {
            options.SlotWaitTimeout = slotWaitTimeout;
        }

        if (CallTimeout is { } callTimeout)
        {
            options.CallTimeout = callTimeout;
        }

        if (MaxMessageBytes is { } maxMessageBytes)
        {
            options.MaxMessageBytes = maxMessageBytes;
        }

        if (MaxNestingDepth is { } maxNestingDepth)
        {
            options.MaxNestingDepth = maxNestingDepth;
        }

        if (MaxObjectDepth is { } maxObjectDepth)
        {
            options.MaxObjectDepth = maxObjectDepth;
        }
    }
}
