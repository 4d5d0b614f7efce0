using EnclaveGen;

namespace EnclaveGen.Runtime.Tests.Enclaves;

public enum Color : byte
{
    Red = 1,
    Green = 2,
}

public enum Wide : long
{
    Low = long.MinValue,
    High = long.MaxValue,
}

/// <summary>One ECALL per supported type, echoing its argument, and OCALLs to match.</summary>
[Enclave]
public partial class Zoo
{
    private byte[] _stored = [];

    [Trusted] public bool EchoBoolean(bool value) => value;
    [Trusted] public byte EchoByte(byte value) => value;
    [Trusted] public sbyte EchoSByte(sbyte value) => value;
    [Trusted] public short EchoInt16(short value) => value;
    [Trusted] public ushort EchoUInt16(ushort value) => value;
    [Trusted] public int EchoInt32(int value) => value;
    [Trusted] public uint EchoUInt32(uint value) => value;
    [Trusted] public long EchoInt64(long value) => value;
    [Trusted] public ulong EchoUInt64(ulong value) => value;
    [Trusted] public float EchoSingle(float value) => value;
    [Trusted] public double EchoDouble(double value) => value;
    [Trusted] public char EchoChar(char value) => value;
    [Trusted] public Color EchoColor(Color value) => value;
    [Trusted] public Wide EchoWide(Wide value) => value;
    [Trusted] public string EchoString(string value) => value;
    [Trusted] public string? EchoNullableString(string? value) => value;
    [Trusted] public byte[] EchoBytes(byte[] value) => value;
    [Trusted] public byte[]? EchoNullableBytes(byte[]? value) => value;

    /// <summary>ref goes both ways, out only back, in only in.</summary>
    [Trusted]
    public int Directions(ref int counter, out string label, in long bias, ref byte[] data)
    {
        counter += 1;
        label = $"counter was {counter - 1}";
        Array.Reverse(data);
        return (int)bias;
    }

    [Trusted]
    public int Store(byte[] data)
    {
        _stored = data;
        return data.Length;
    }

    [Trusted] public byte[] Stored() => _stored;

    /// <summary>Every supported type out through OCALLs and back.</summary>
    [Trusted]
    public string OcallRoundTrip(string text, int number, byte[] data)
    {
        string echoed = HostEcho(text);
        int sum = HostAdd(number, 1);
        byte[] reversed = HostReverse(data);
        HostFill(out int filled, out string note);
        int counter = 10;
        HostIncrement(ref counter);
        return $"{echoed}|{sum}|{Convert.ToHexString(reversed)}|{filled}|{note}|{counter}";
    }

    /// <summary>One OCALL with primitives only.</summary>
    [Trusted] public int AddThroughHost(int a, int b) => HostAdd(a, b);

    /// <summary>Awaits, resumes on another thread, and still finds its way out through the same slot.</summary>
    [Trusted]
    public int OcallAfterAwait(int value)
    {
        return Continue().GetAwaiter().GetResult();

        async Task<int> Continue()
        {
            await Task.Yield();
            await Task.Yield();
            return HostAdd(value, 100);
        }
    }

    [Trusted] public void Throw(string message) => throw new InvalidOperationException(message);

    [Trusted]
    public string CatchHostFailure()
    {
        try
        {
            HostThrow("host says no");
            return "no exception";
        }
        catch (UntrustedCodeException exception)
        {
            return $"{exception.ExceptionTypeName}: {exception.HostMessage}";
        }
    }

    /// <summary>Counts down through the host: each level is an OCALL whose host side makes a nested ECALL.</summary>
    [Trusted] public int Nest(int depth) => depth == 0 ? 0 : HostNest(depth - 1) + 1;

    /// <summary>Holds its thread slot while the host blocks in an OCALL.</summary>
    [Trusted] public void HoldSlot() => HostWait();

    /// <summary>Not a boundary method: calling an OCALL from here, outside any ECALL, must fail.</summary>
    public static int OcallOutsideEcall() => HostAdd(1, 2);

    [Untrusted] private static partial string HostEcho(string text);
    [Untrusted] private static partial int HostAdd(int a, int b);
    [Untrusted] private static partial byte[] HostReverse(byte[] data);
    [Untrusted] private static partial void HostFill(out int number, out string note);
    [Untrusted] private static partial void HostIncrement(ref int counter);
    [Untrusted] private static partial void HostThrow(string message);
    [Untrusted] private static partial int HostNest(int depth);
    [Untrusted] private static partial void HostWait();
}
