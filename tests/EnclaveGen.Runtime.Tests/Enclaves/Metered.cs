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

    [Untrusted]
    private static partial int HostEcho(int value);
}

/// <summary>Loaded only by the DEBUG-warning test: the warning comes once per enclave per process.</summary>
[Enclave]
public partial class WarnedOnce
{
    [Trusted]
    public int Echo(int value) => value;
}
