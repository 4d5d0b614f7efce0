using EnclaveGen;

namespace PrivateInference.Host;

/// <summary>
/// Everything the host handles, kept so the sample can check what was in it: every sealed
/// boundary message (as a <see cref="BoundaryInterceptor"/>), and every payload it relays
/// between a party and the enclave or stores on disk.
/// </summary>
internal sealed class HostView : BoundaryInterceptor
{
    private readonly List<byte[]> _seen = [];
    private readonly Lock _lock = new();

    public int BoundaryMessages { get; private set; }

    public int RelayedPayloads { get; private set; }

    public override byte[]? OnMessage(BoundaryMessage message)
    {
        lock (_lock)
        {
            _seen.Add(message.Bytes.ToArray());
            BoundaryMessages++;
        }

        return null;
    }

    /// <summary>The host passes <paramref name="payload"/> on (to a party, or to the enclave as an ECALL argument, or to disk).</summary>
    public byte[] Relay(byte[] payload)
    {
        lock (_lock)
        {
            _seen.Add([.. payload]);
            RelayedPayloads++;
        }

        return payload;
    }

    /// <summary>True when <paramref name="needle"/> appears anywhere in what the host handled.</summary>
    public bool Saw(ReadOnlySpan<byte> needle)
    {
        lock (_lock)
        {
            foreach (byte[] bytes in _seen)
            {
                if (bytes.AsSpan().IndexOf(needle) >= 0)
                {
                    return true;
                }
            }
        }

        return false;
    }
}
