using System.Collections.Concurrent;

namespace JointStatistics.Host;

/// <summary>One TCP connection the host relayed to the enclave: exactly the bytes it moved each way.</summary>
/// <param name="Number">The connection's number, in the order they were accepted.</param>
/// <param name="FromClient">Every byte the client sent (TLS records), as relayed into the enclave.</param>
/// <param name="ToClient">Every byte the enclave sent back (TLS records), as relayed to the client.</param>
/// <param name="Outcome">How the enclave's ServeAsync ended: "served" or what failed (a handshake the client refused, say).</param>
public sealed record RelayedConnection(int Number, byte[] FromClient, byte[] ToClient, string Outcome);

/// <summary>
/// Everything the host relayed, kept so the sample can show (and the test can check) that the host
/// handled only TLS records. The host prints sizes only.
/// </summary>
public sealed class RelayLog
{
    private readonly ConcurrentDictionary<int, Entry> _connections = new();
    private int _next;

    /// <summary>Registers an accepted connection; returns its number.</summary>
    public int Open(Stream connection)
    {
        int number = Interlocked.Increment(ref _next);
        _connections[number] = new Entry(connection);
        return number;
    }

    /// <summary>Records how the enclave's serving of the connection ended.</summary>
    public void Close(int number, string outcome) => EntryOf(number).Outcome = outcome;

    /// <summary>Reads up to <paramref name="maxBytes"/> from the client (empty at its end) and records them.</summary>
    public async Task<byte[]> ReceiveAsync(int number, int maxBytes)
    {
        Entry entry = EntryOf(number);
        byte[] buffer = new byte[Math.Clamp(maxBytes, 1, 64 * 1024)];
        int read = await entry.Connection.ReadAsync(buffer);
        lock (entry)
        {
            entry.FromClient.Write(buffer, 0, read);
        }

        return buffer[..read];
    }

    /// <summary>Records the enclave's bytes and writes them to the client.</summary>
    public async Task SendAsync(int number, byte[] records)
    {
        Entry entry = EntryOf(number);
        lock (entry)
        {
            entry.ToClient.Write(records);
        }

        await entry.Connection.WriteAsync(records);
    }

    /// <summary>Every connection so far, in the order they were accepted.</summary>
    public IReadOnlyList<RelayedConnection> Snapshot() =>
        [.. _connections.OrderBy(c => c.Key).Select(c =>
        {
            lock (c.Value)
            {
                return new RelayedConnection(c.Key, c.Value.FromClient.ToArray(), c.Value.ToClient.ToArray(), c.Value.Outcome);
            }
        })];

    /// <summary>
    /// Prints one line per connection: what it carried and how it ended, never content. Sizes are
    /// left out (a signature's length varies by a byte from run to run) and the lines sorted, so the
    /// story prints the same lines every run.
    /// </summary>
    public void Print(TextWriter output)
    {
        // Sorted: the parties' connections arrive in a different order every run.
        IEnumerable<string> lines = Snapshot().Select(c => $"  a connection: TLS records both ways ({(c.FromClient.Length > 0 ? "bytes in" : "nothing in")}, {(c.ToClient.Length > 0 ? "bytes out" : "nothing out")}); the enclave {c.Outcome}");
        foreach (string line in lines.Order(StringComparer.Ordinal))
        {
            output.WriteLine(line);
        }
    }

    private Entry EntryOf(int number) =>
        _connections.TryGetValue(number, out Entry? entry) ? entry : throw new ArgumentOutOfRangeException(nameof(number), number, "No such connection; the enclave named a connection the host never opened.");

    private sealed class Entry(Stream connection)
    {
        public Stream Connection { get; } = connection;

        public MemoryStream FromClient { get; } = new();

        public MemoryStream ToClient { get; } = new();

        public string Outcome { get; set; } = "open";
    }
}
