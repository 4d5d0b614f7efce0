using System.Buffers.Binary;

namespace EnclaveGen.Runtime.Transport.Isolated;

/// <summary>What travels on the control channel (the enclave process's standard input and output).</summary>
internal enum ControlKind : byte
{
    /// <summary>Host to enclave, once: what to load and how (<see cref="IsolatedHello"/>).</summary>
    Hello = 1,

    /// <summary>Enclave to host, once: loaded, hardened, here is my half of the key agreement (<see cref="IsolatedReady"/>).</summary>
    Ready = 2,

    /// <summary>Enclave to host: starting failed; the payload says why (UTF-8).</summary>
    Failed = 3,

    /// <summary>Host to enclave: halt (the host found an integrity violation); the payload says why.</summary>
    Halt = 4,

    /// <summary>Host to enclave: exit now.</summary>
    Exit = 5,
}

/// <summary>
/// Length-prefixed control messages: int32 length (little-endian, counting the kind byte), kind,
/// payload. The crossings themselves never use this channel; they go through the shared ring.
/// </summary>
internal static class ControlChannel
{
    public const int MaxMessageBytes = 1 << 20;

    public static void Write(Stream stream, ControlKind kind, ReadOnlySpan<byte> payload)
    {
        byte[] frame = new byte[5 + payload.Length];
        BinaryPrimitives.WriteInt32LittleEndian(frame, payload.Length + 1);
        frame[4] = (byte)kind;
        payload.CopyTo(frame.AsSpan(5));
        stream.Write(frame);
        stream.Flush();
    }

    /// <summary>Reads the next message, or returns false at the end of the stream.</summary>
    public static bool TryRead(Stream stream, out ControlKind kind, out byte[] payload)
    {
        kind = default;
        payload = [];
        Span<byte> prefix = stackalloc byte[4];
        if (!ReadExactly(stream, prefix))
        {
            return false;
        }

        int length = BinaryPrimitives.ReadInt32LittleEndian(prefix);
        if (length < 1 || length > MaxMessageBytes)
        {
            throw new InvalidDataException($"A control message claims {length} bytes; the limit is {MaxMessageBytes}.");
        }

        byte[] body = new byte[length];
        if (!ReadExactly(stream, body))
        {
            return false;
        }

        kind = (ControlKind)body[0];
        payload = body[1..];
        return true;
    }

    private static bool ReadExactly(Stream stream, Span<byte> buffer)
    {
        int read = 0;
        while (read < buffer.Length)
        {
            int n = stream.Read(buffer.Slice(read));
            if (n == 0)
            {
                return false;
            }

            read += n;
        }

        return true;
    }
}
