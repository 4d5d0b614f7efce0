namespace EnclaveGen.Hosting;

/// <summary>
/// Whether a hosted enclave that halted (an integrity failure) or was lost (its isolated process
/// ended) is created again, and how fast. Binds from <c>Enclaves:&lt;ClassName&gt;:Restart</c>.
/// Off by default: an enclave that halted was attacked or hit a bug, and an app should choose to
/// carry on. Trusted state that the enclave sealed reopens only if the app unseals it again: do
/// that in an <see cref="IEnclaveInitializer{TProxy}"/>, which runs after every start.
/// </summary>
public sealed class EnclaveRestartOptions
{
    /// <summary>Whether to restart a halted or lost enclave. Default false.</summary>
    public bool Enabled { get; set; }

    /// <summary>How long to wait before the first restart attempt. Default 1 second.</summary>
    public TimeSpan FirstDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between attempts; each failed attempt doubles the wait up to this. Default 1 minute.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How many attempts in a row may fail before the supervisor gives up (the enclave stays unavailable); 0 for no limit. Default 0.</summary>
    public int MaxAttempts { get; set; }

    /// <summary>How often the supervisor looks at the enclave's state. Default 1 second.</summary>
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Checks every setting against its range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range; the message names it.</exception>
    public void Validate()
    {
        if (FirstDelay < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(FirstDelay), FirstDelay, "Restart:FirstDelay must be zero or positive.");
        }

        if (MaxDelay < FirstDelay)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxDelay), MaxDelay, $"Restart:MaxDelay must be at least Restart:FirstDelay ({FirstDelay}).");
        }

        if (MaxAttempts < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxAttempts), MaxAttempts, "Restart:MaxAttempts must be zero (no limit) or positive.");
        }

        if (CheckInterval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(CheckInterval), CheckInterval, "Restart:CheckInterval must be positive.");
        }
    }

    /// <summary>The wait before attempt <paramref name="attempt"/> (1 for the first): doubling from <see cref="FirstDelay"/>, at most <see cref="MaxDelay"/>.</summary>
    internal TimeSpan DelayBefore(int attempt)
    {
        double factor = Math.Pow(2, Math.Min(attempt - 1, 30));
        double ticks = Math.Min(FirstDelay.Ticks * factor, MaxDelay.Ticks);
        return TimeSpan.FromTicks((long)ticks);
    }
}
