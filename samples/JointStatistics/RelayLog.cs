using System.Collections.Concurrent;

namespace JointStatistics.Host;

/// <summary>The four steps a party goes through, in order; each is one HTTP request the host relays to one ECALL.</summary>
public enum RelayStep
{
    /// <summary><c>POST /parties/{party}/quote</c>: the party's nonce in; the enclave's channel key and quote out.</summary>
    Quote,

    /// <summary><c>POST /parties/{party}/connect</c>: the party's channel public key in.</summary>
    Connect,

    /// <summary><c>POST /parties/{party}/submit</c>: the party's values in, sealed on its channel.</summary>
    Submit,

    /// <summary><c>GET /parties/{party}/result</c>: the aggregate out, sealed on the party's channel.</summary>
    Result,
}

/// <summary>One request the host relayed: exactly the bytes it received from the party and sent back.</summary>
/// <param name="Party">The party named in the request's path.</param>
/// <param name="Step">Which step.</param>
/// <param name="Request">The request body, as received.</param>
/// <param name="Response">The response body, as sent (empty for a refusal).</param>
/// <param name="Status">The HTTP status the host answered with.</param>
public sealed record RelayedExchange(string Party, RelayStep Step, byte[] Request, byte[] Response, int Status);

/// <summary>
/// Everything the host relayed, kept so the sample can show (and the test can check) that the host
/// handled only public values and ciphertext. The host prints sizes only.
/// </summary>
public sealed class RelayLog
{
    private readonly ConcurrentQueue<RelayedExchange> _exchanges = new();

    /// <summary>Records one exchange.</summary>
    public void Add(RelayedExchange exchange) => _exchanges.Enqueue(exchange);

    /// <summary>Every exchange so far, by party and step (the order requests arrived in varies from run to run).</summary>
    public IReadOnlyList<RelayedExchange> Snapshot() =>
        [.. _exchanges.OrderBy(e => e.Party, StringComparer.Ordinal).ThenBy(e => e.Step)];

    /// <summary>Prints one line per exchange: party, step and sizes, never content.</summary>
    public void Print(TextWriter output)
    {
        foreach (RelayedExchange e in Snapshot())
        {
            string what = e.Step switch
            {
                RelayStep.Quote => $"{e.Request.Length} B nonce in, {e.Response.Length} B enclave key + quote out",
                RelayStep.Connect => $"{e.Request.Length} B party key in",
                RelayStep.Submit => $"{e.Request.Length} B sealed values in",
                _ => $"{e.Response.Length} B sealed aggregate out",
            };
            string status = e.Status is >= 200 and < 300 ? "" : $" (refused: HTTP {e.Status})";
            output.WriteLine($"  {e.Party,-10} /{e.Step.ToString().ToLowerInvariant(),-8} {what}{status}");
        }
    }
}
