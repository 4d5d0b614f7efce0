using EnclaveGen;
using EnclaveGen.AspNetCore;

namespace PrivateInference.Host;

/// <summary>
/// Everything the host handles, kept so the sample can check what was in it: every sealed
/// boundary message (as a <see cref="BoundaryInterceptor"/>), every payload it passes on or stores
/// on disk, and every byte of the connections it relays for the enclave (the enclave's receive
/// and send OCALLs): TLS records to and from the model owner, and from and to the client.
/// </summary>
internal sealed class HostView : BoundaryInterceptor, InferenceEngine.IUntrusted
{
    private readonly List<byte[]> _seen = [];
    private readonly Lock _lock = new();

    /// <summary>The connections the host relays for the enclave, every byte recorded.</summary>
    public EnclaveRelayConnections Connections { get; } = new(recordBytes: true);

    public Task<byte[]> ReceiveAsync(int connection, int maxBytes) => Connections.ReceiveAsync(connection, maxBytes);

    public Task SendAsync(int connection, byte[] records) => Connections.SendAsync(connection, records);

    public override byte[]? OnMessage(BoundaryMessage message)
    {
        lock (_lock)
        {
            _seen.Add(message.Bytes.ToArray());
        }

        return null;
    }

    /// <summary>The host passes <paramref name="payload"/> on (to the enclave as an ECALL argument, or to disk).</summary>
    public byte[] Relay(byte[] payload)
    {
        lock (_lock)
        {
            _seen.Add([.. payload]);
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

        foreach (RelayedConnection connection in Connections.Snapshot())
        {
            if (connection.ToEnclave.AsSpan().IndexOf(needle) >= 0 || connection.FromEnclave.AsSpan().IndexOf(needle) >= 0)
            {
                return true;
            }
        }

        return false;
    }
}
