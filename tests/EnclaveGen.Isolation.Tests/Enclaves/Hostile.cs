using System.Runtime.InteropServices;
using EnclaveGen;

namespace EnclaveGen.Isolation.Tests.Enclaves;

/// <summary>
/// The crossings a hostile host attacks: results and OCALL arguments longer than one window (so
/// they travel in several frames), [Out] buffers whose length the host chooses, and trusted code
/// that swallows every exception.
/// </summary>
[Enclave]
public partial class Hostile
{
    // The caller chooses the lengths (several windows at most in the tests): the enclave caps them.
    private const int MaxLength = 64 * 1024 * 1024;

    /// <summary>A result of <paramref name="length"/> bytes: more than one window travels as several frames.</summary>
    [Trusted]
    public byte[] Blob(int length)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, MaxLength);
        byte[] blob = new byte[length];
        for (int i = 0; i < blob.Length; i++)
        {
            blob[i] = (byte)i;
        }

        return blob;
    }

    /// <summary>Sends <paramref name="length"/> bytes out through an OCALL and swallows whatever goes wrong.</summary>
    [Trusted]
    public string SinkSwallowingErrors(int length)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, MaxLength);
        try
        {
            return $"sent {HostSink(new byte[length])}";
        }
#pragma warning disable CA1031 // The point: trusted code that catches everything must not keep a broken boundary alive.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            return $"caught {exception.GetType().Name}";
        }
    }

    /// <summary>Fills an [Out] buffer whose length the host chose.</summary>
    [Trusted]
    public int Fill([Out] byte[] buffer)
    {
        buffer.AsSpan().Fill(7);
        return buffer.Length;
    }

    /// <summary>Fills two [Out] buffers whose lengths the host chose.</summary>
    [Trusted]
    public int FillTwo([Out] byte[] first, [Out] byte[] second)
    {
        first.AsSpan().Fill(1);
        second.AsSpan().Fill(2);
        return first.Length + second.Length;
    }

    [Untrusted] private static partial int HostSink(byte[] data);
}
