using System.Buffers;
using System.Collections.Concurrent;

namespace EnclaveGen.AspNetCore;

/// <summary>One connection the host relayed for the enclave: the bytes it moved each way, and how it ended.</summary>
/// <param name="Number">The connection's number, in the order they were opened.</param>
/// <param name="ToEnclave">Every byte read from the connection and handed to the enclave (TLS records), when recording.</param>
/// <param name="FromEnclave">Every byte the enclave handed over and the host wrote to the connection (TLS records), when recording.</param>
/// <param name="Outcome">What the host recorded when it closed the connection ("open" until then).</param>
public sealed record RelayedConnection(int Number, byte[] ToEnclave, byte[] FromEnclave, string Outcome);

/// <summary>
/// The host's side of an enclave's relayed connections (<c>HostRelayStream</c> inside the enclave):
/// the streams it relays, by number, and the receive and send that the enclave's two OCALLs call.
/// A connection comes from <see cref="EnclaveRelayListenOptionsExtensions.UseEnclaveRelay"/> (a
/// client of the enclave) or from the host's own TCP client (a service the enclave calls); either
/// way the enclave names it by the number <see cref="Open"/> returned (<c>docs/attested-tls.md</c>,
/// "The host's listener").
/// </summary>
/// <remarks>
/// Every number the enclave passes is checked: the enclave's code is trusted, but a number the host
/// never opened is a bug that gets a clear error. With <c>recordBytes</c> every relayed byte is
/// kept (an audit, as the samples make, that what the host handled is TLS records only); keep that
/// off in a service that runs for long.
/// </remarks>
/// <param name="recordBytes">Keep every relayed byte and each connection after it closes, for <see cref="Snapshot"/>.</param>
public sealed class EnclaveRelayConnections(bool recordBytes = false)
{
    /// <summary>The most bytes one receive returns, whatever the enclave asks for.</summary>
    public const int MaxReceiveBytes = 64 * 1024;

    private readonly ConcurrentDictionary<int, Entry> _connections = new();
    private int _next;

    /// <summary>Registers a connection the host relays; returns the number the enclave names it by.</summary>
    /// <param name="connection">The connection's byte stream (the host keeps owning it).</param>
    /// <returns>The connection's number (1, 2, ...).</returns>
    public int Open(Stream connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        int number = Interlocked.Increment(ref _next);
        _connections[number] = new Entry(connection);
        return number;
    }

    /// <summary>Reads up to <paramref name="maxBytes"/> (at most <see cref="MaxReceiveBytes"/>) from the connection for the enclave; empty at its end.</summary>
    /// <param name="connection">A number <see cref="Open"/> returned.</param>
    /// <param name="maxBytes">How many bytes the enclave asked for.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The bytes read.</returns>
    /// <exception cref="ArgumentOutOfRangeException">No open connection has that number.</exception>
    public async Task<byte[]> ReceiveAsync(int connection, int maxBytes, CancellationToken cancellationToken = default)
    {
        Entry entry = EntryOf(connection);
        int size = Math.Clamp(maxBytes, 1, MaxReceiveBytes);

        // A read usually returns less than was asked (one TLS record): read into a pooled buffer
        // and allocate only the array that crosses, at the size read.
        byte[] rented = ArrayPool<byte>.Shared.Rent(size);
        try
        {
            int read = await entry.StreamOf(connection).ReadAsync(rented.AsMemory(0, size), cancellationToken).ConfigureAwait(false);
            entry.Record(entry.ToEnclave, rented.AsSpan(0, read), recordBytes);
            return rented[..read];
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Writes the enclave's bytes to the connection.</summary>
    /// <param name="connection">A number <see cref="Open"/> returned.</param>
    /// <param name="records">What the enclave sends (TLS records).</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <exception cref="ArgumentOutOfRangeException">No open connection has that number.</exception>
    public async Task SendAsync(int connection, byte[] records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        Entry entry = EntryOf(connection);
        Stream stream = entry.StreamOf(connection);
        entry.Record(entry.FromEnclave, records, recordBytes);
        await stream.WriteAsync(records, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops relaying the connection (the host still disposes its stream) and records how it ended.</summary>
    /// <param name="connection">A number <see cref="Open"/> returned.</param>
    /// <param name="outcome">How it ended, for <see cref="Snapshot"/> ("answered HTTP 200", say).</param>
    public void Close(int connection, string outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        if (!recordBytes)
        {
            _connections.TryRemove(connection, out _);
            return;
        }

        Entry entry = EntryOf(connection);
        lock (entry.Gate)
        {
            entry.Connection = null;
            entry.Outcome = outcome;
        }
    }

    /// <summary>Every connection opened so far (closed ones too, when recording), in order, with the bytes recorded.</summary>
    /// <returns>A copy; empty byte arrays when not recording.</returns>
    public IReadOnlyList<RelayedConnection> Snapshot() =>
        [.. _connections.OrderBy(c => c.Key).Select(c =>
        {
            lock (c.Value.Gate)
            {
                return new RelayedConnection(c.Key, c.Value.ToEnclave.ToArray(), c.Value.FromEnclave.ToArray(), c.Value.Outcome);
            }
        })];

    private Entry EntryOf(int connection) =>
        _connections.TryGetValue(connection, out Entry? entry)
            ? entry
            : throw new ArgumentOutOfRangeException(nameof(connection), connection, $"The enclave named connection {connection}, which the host never opened (or already closed); the host has opened {_next}.");

    private sealed class Entry(Stream connection)
    {
        public Lock Gate { get; } = new();

        public Stream? Connection { get; set; } = connection;

        public MemoryStream ToEnclave { get; } = new();

        public MemoryStream FromEnclave { get; } = new();

        public string Outcome { get; set; } = "open";

        public Stream StreamOf(int number)
        {
            lock (Gate)
            {
                return Connection ?? throw new ArgumentOutOfRangeException(nameof(number), number, $"The enclave used connection {number} after the host closed it ({Outcome}).");
            }
        }

        public void Record(MemoryStream into, ReadOnlySpan<byte> bytes, bool recording)
        {
            if (recording)
            {
                lock (Gate)
                {
                    into.Write(bytes);
                }
            }
        }
    }
}
