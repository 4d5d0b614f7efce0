using EnclaveGen;

namespace EnclaveGen.Runtime.Tests.Enclaves;

/// <summary>Used only by the telemetry tests, so the measurements they filter by enclave are theirs alone.</summary>
[Enclave]
public partial class Metered
{
    /// <summary>One ECALL that makes one OCALL.</summary>
    [Trusted]
    public int Ping(int value) => HostEcho(value) + 1;

    /// <summary>The same, as an asynchronous ECALL.</summary>
    [Trusted]
    public async Task<int> PingAsync(int value)
    {
        await Task.Yield();
        return HostEcho(value) + 1;
    }

    /// <summary>
    /// A reading the host cannot rebuild: trusted code sets the value past the check the record's
    /// constructor makes, so the failure comes while the host reads the results, after the crossing.
    /// </summary>
    [Trusted]
    public Reading UnreadableReading() => new Reading(0) with { Value = -1 };

    /// <summary>The same failure after an asynchronous ECALL.</summary>
    [Trusted]
    public async Task<Reading> UnreadableReadingAsync()
    {
        await Task.Yield();
        return new Reading(0) with { Value = -1 };
    }

    [Untrusted]
    private static partial int HostEcho(int value);
}

/// <summary>A value whose constructor refuses what a <c>with</c> expression can still set.</summary>
public sealed record Reading(int Value)
{
    /// <summary>Never negative when built through the constructor.</summary>
    public int Value { get; init; } = Value >= 0 ? Value : throw new ArgumentOutOfRangeException(nameof(Value), Value, "A reading is never negative.");
}

/// <summary>Loaded only by the DEBUG-warning test: the warning comes once per enclave per process.</summary>
[Enclave]
public partial class WarnedOnce
{
    [Trusted]
    public int Echo(int value) => value;
}
