using EnclaveGen;

namespace EnclaveGen.Benchmarks.Boundary;

/// <summary>The enclave the crossing benchmarks call: trivial bodies, so the numbers are the boundary's.</summary>
[Enclave]
public partial class BenchEnclave
{
    [Trusted] public int EchoInt32(int value) => value;

    [Trusted] public byte[] EchoBytes(byte[] data) => data;

    [Trusted] public int CallHost(int value) => HostEcho(value);

    [Untrusted] private static partial int HostEcho(int value);
}

/// <summary>The host side of <see cref="BenchEnclave"/>.</summary>
public sealed class BenchHost : BenchEnclave.IUntrusted
{
    public int HostEcho(int value) => value;
}
