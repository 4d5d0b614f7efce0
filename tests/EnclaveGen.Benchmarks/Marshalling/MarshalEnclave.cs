using System.Runtime.InteropServices;
using EnclaveGen;

namespace EnclaveGen.Benchmarks.Marshalling;

/// <summary>One ECALL per type kind with a trivial body, so the numbers are the boundary's and the marshalling's.</summary>
[Enclave]
public partial class MarshalEnclave
{
    private const int MaxBuffer = 16 * 1024 * 1024;
    private byte[] _outgoing = [];

    [Trusted] public int EchoInt32(int value) => value;

    [Trusted] public string EchoString(string value) => value;

    [Trusted] public byte[] EchoBytes(byte[] value) => value;

    [Trusted] public int[] EchoInts(int[] value) => value;

    [Trusted] public List<string> EchoList(List<string> value) => value;

    [Trusted] public Dictionary<string, int> EchoDictionary(Dictionary<string, int> value) => value;

    [Trusted] public Order EchoOrder(Order value) => value;

    [Trusted]
    public int Checksum(ReadOnlySpan<byte> data)
    {
        int sum = 0;
        foreach (byte b in data)
        {
            sum += b;
        }

        return sum;
    }

    [Trusted] public void Fill([Out] Span<byte> buffer) => buffer.Fill(0x5A);

    /// <summary>Copy-in: the bytes cross into the enclave, four bytes come back.</summary>
    [Trusted] public int Absorb(byte[] data) => data.Length;

    /// <summary>Copy-in through a span: the callee reads the bytes where the boundary decrypted them and cannot keep them.</summary>
    [Trusted] public int AbsorbSpan(ReadOnlySpan<byte> data) => data.Length;

    /// <summary>Sets up <see cref="Emit"/>: the buffer lives inside the enclave (at most <see cref="MaxBuffer"/> bytes: the caller chooses the size).</summary>
    [Trusted]
    public void Prepare(int size)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(size, MaxBuffer);
        _outgoing = new byte[size];
    }

    /// <summary>Copy-out: the enclave's buffer crosses to the host.</summary>
    [Trusted] public byte[] Emit() => _outgoing;

    /// <summary>Copy-out into the caller's own buffer: the enclave's bytes are decrypted straight into it.</summary>
    [Trusted] public void EmitInto([Out] Span<byte> buffer) => _outgoing.CopyTo(buffer);
}

/// <summary>The host side: <see cref="MarshalEnclave"/> makes no OCALLs.</summary>
public sealed class MarshalHost : MarshalEnclave.IUntrusted;

/// <summary>A positional record with nested records, a list of records and a decimal.</summary>
public sealed record Order(string Id, Customer Customer, List<OrderLine> Lines, decimal Total);

/// <summary>A nested record.</summary>
public sealed record Customer(string Name, PostalAddress Address);

/// <summary>A record two levels down.</summary>
public sealed record PostalAddress(string Street, string City, string? Region);

/// <summary>An element of a list inside a record.</summary>
public sealed record OrderLine(string Sku, int Quantity, decimal Price);
