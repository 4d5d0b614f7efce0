using System.Runtime.InteropServices;
using EnclaveGen;

namespace EnclaveGen.Runtime.Tests.Enclaves;

/// <summary>
/// Values large enough to be sealed in pieces and opened in pieces (docs/performance.md), placed
/// so they start and end at every offset within a 16-byte block, in both directions.
/// </summary>
[Enclave]
public partial class LargeValues
{
    [Trusted] public byte[] EchoBytes(byte[] value) => value;

    [Trusted] public byte[] EchoAfter(byte lead, byte[] value, byte trail) => [lead, .. value, trail];

    [Trusted] public string EchoString(string value) => value;

    [Trusted] public int[] EchoInts(short lead, int[] value) => value;

    [Trusted] public Bundle EchoBundle(Bundle value) => value;

    [Trusted] public IReadOnlyList<byte[]> EchoSequence(IEnumerable<byte[]> values) => values.ToArray();

    [Trusted] public long Sum(ReadOnlySpan<int> values)
    {
        long sum = 0;
        foreach (int value in values)
        {
            sum += value;
        }

        return sum;
    }

    [Trusted] public void Fill([Out] Span<byte> buffer, byte value) => buffer.Fill(value);

    [Trusted] public void FillArray([Out] byte[] buffer) { for (int i = 0; i < buffer.Length; i++) { buffer[i] = (byte)(i * 7); } }

    [Trusted] public void Negate([In, Out] int[] values) { for (int i = 0; i < values.Length; i++) { values[i] = -values[i]; } }

    [Trusted] public void FillMemory([Out] Memory<byte> buffer) => buffer.Span.Fill(0xA5);

    [Trusted] public int ReverseInside([In, Out] Span<long> values)
    {
        values.Reverse();
        return values.Length;
    }

    /// <summary>A large value out through an OCALL, and the host's large answer back.</summary>
    [Trusted] public byte[] RoundTripThroughHost(byte[] value) => HostReverse(value);

    [Untrusted] private static partial byte[] HostReverse(byte[] value);
}

/// <summary>Two large arrays with small members around them: several pieces in one message.</summary>
public sealed record Bundle(byte Tag, byte[] First, string Label, long[] Second, bool Last);

/// <summary>The host side of <see cref="LargeValues"/>.</summary>
public sealed class LargeValuesHost : LargeValues.IUntrusted
{
    public byte[] HostReverse(byte[] value)
    {
        Array.Reverse(value);
        return value;
    }
}
