using EnclaveGen;

namespace PrivateInference.Host;

/// <summary>
/// Everything the host handles, kept so the sample can check what was in it: every sealed
/// boundary message (as a <see cref="BoundaryInterceptor"/>), every payload it relays between a
/// party and the enclave or stores on disk, and the TLS bytes it relays between the enclave and
/// the model owner (as the enclave's receive and send OCALLs).
/// </summary>
internal sealed class HostView : BoundaryInterceptor, InferenceEngine.IUntrusted
{
    private readonly List<byte[]> _seen = [];
    private readonly Lock _lock = new();
    private readonly Dictionary<int, Stream> _connections = [];
    private int _nextConnection;

    /// <summary>TLS bytes relayed between the enclave and the model owner (both ways).</summary>
    public long RelayedTlsBytes { get; private set; }

    /// <summary>Registers a connection the host opened (to the model owner) for the enclave to use.</summary>
    public int Open(Stream connection)
    {
        lock (_lock)
        {
            _connections[++_nextConnection] = connection;
            return _nextConnection;
        }
    }

    public async Task<byte[]> ReceiveAsync(int connection, int maxBytes)
    {
        byte[] buffer = new byte[Math.Clamp(maxBytes, 1, 64 * 1024)];
        int read = await ConnectionOf(connection).ReadAsync(buffer);
        return RelayTls(buffer[..read]);
    }

    public async Task SendAsync(int connection, byte[] records) => await ConnectionOf(connection).WriteAsync(RelayTls(records));

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

    private byte[] RelayTls(byte[] records)
    {
        lock (_lock)
        {
            _seen.Add([.. records]);
            RelayedTlsBytes += records.Length;
        }

        return records;
    }

    private Stream ConnectionOf(int connection)
    {
        lock (_lock)
        {
            return _connections.TryGetValue(connection, out Stream? stream) ? stream : throw new ArgumentOutOfRangeException(nameof(connection), connection, "The enclave named a connection the host never opened.");
        }
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
