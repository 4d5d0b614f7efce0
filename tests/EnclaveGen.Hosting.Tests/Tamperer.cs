namespace EnclaveGen.Hosting.Tests;

/// <summary>A hostile host: once armed, flips a bit of the next sealed message to the enclave, which then halts.</summary>
internal sealed class Tamperer : BoundaryInterceptor
{
    private int _armed;

    public void Arm() => Volatile.Write(ref _armed, 1);

    public override byte[]? OnMessage(BoundaryMessage message)
    {
        if (message.Direction != BoundaryDirection.HostToEnclave || Interlocked.Exchange(ref _armed, 0) == 0)
        {
            return null;
        }

        byte[] tampered = message.Bytes.ToArray();
        tampered[^1] ^= 1;
        return tampered;
    }
}
