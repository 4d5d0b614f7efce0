using System.Buffers.Binary;
using System.Text;
using JointStatistics;
using JointStatistics.Host;

namespace EnclaveGen.EndToEnd.Tests;

/// <summary>
/// `dotnet run --project samples/JointStatistics` does what it says: three party processes each
/// verify the enclave's quote, send their values on their own attested channel through the host,
/// and receive only the aggregate; the host relays nothing but public values and ciphertext.
/// One test, two runs (isolated, then in-process): each run starts three party processes.
/// </summary>
public sealed class JointStatisticsSampleTests
{
    // Computed apart from the sample (Python's statistics module) from samples/JointStatistics/data/*.csv:
    // 36 salaries; the 18th and 19th in order are 87,000 and 88,000; 9 are above 100,000.
    private const string Aggregate = "3 parties, 36 values; mean 89,138.89; median 87,500.00; 9 above 100,000";

    private static readonly TimeSpan s_limit = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task ThreePartyProcessesVerifyTheQuoteSendCiphertextOnlyAndAllReceiveTheSameAggregateDeterministically()
    {
        StringWriter isolatedOutput = new();
        JointStatisticsRun isolated = await JointStatisticsApp.RunSessionAsync(isolatedOutput, EnclaveMode.Isolated, s_limit).WaitAsync(s_limit + TimeSpan.FromMinutes(1));
        string text = isolatedOutput.ToString();

        Assert.True(isolated.ExitCode == 0, text);
        Assert.Contains("(isolated mode: the enclave runs in a process of its own", text);
        foreach (PartyOutcome party in isolated.Parties)
        {
            Assert.Equal(0, party.ExitCode);
            Assert.Contains("policy: ALLOWS EMULATED evidence: the sample's platform is emulated and protects nothing from the machine's owner", party.Output);
            Assert.Contains("quote: VERIFIED (EMULATED, DEBUG); MRENCLAVE matches; channel key and nonce bound: channel open", party.Output);
            Assert.Contains("sent its 12 values on its own channel (121 sealed bytes)", party.Output);
            Assert.Contains($"aggregate, decrypted by {party.Name}: {Aggregate}", party.Output);
        }

        Assert.Equal(["Contoso", "Fabrikam", "Northwind"], isolated.Parties.Select(p => p.Name));
        Assert.Contains("found 0 times: besides public nonces, keys and quotes, the host saw only ciphertext", text);
        Assert.Contains("  every party's decrypted aggregate matches it", text);

        // The relay log, checked here independently of the sample's own audit.
        AssertRelayHoldsOnlyCiphertext(isolated.Relay);

        // Nothing that changes from run to run is printed: a second run, with fresh nonces, keys
        // and port, and the enclave in the host's process this time, prints the same lines but
        // the one that names the mode.
        StringWriter inProcessOutput = new();
        JointStatisticsRun inProcess = await JointStatisticsApp.RunSessionAsync(inProcessOutput, EnclaveMode.InProcess, s_limit).WaitAsync(s_limit + TimeSpan.FromMinutes(1));
        Assert.True(inProcess.ExitCode == 0, inProcessOutput.ToString());
        AssertRelayHoldsOnlyCiphertext(inProcess.Relay);
        Assert.Equal(WithoutModeLine(text), WithoutModeLine(inProcessOutput.ToString()));
        Assert.DoesNotContain("127.0.0.1", text);
        Assert.DoesNotContain("http://", text);
    }

    private static void AssertRelayHoldsOnlyCiphertext(IReadOnlyList<RelayedExchange> relay)
    {
        Assert.Equal(12, relay.Count);
        Assert.All(relay, e => Assert.Equal(200, e.Status));
        byte[][] results = [.. relay.Where(e => e.Step == RelayStep.Result).Select(e => e.Response)];
        Assert.Equal(3, results.Length);

        // Each party's result is sealed on its own channel: three different ciphertexts, none of them the aggregate's encoding.
        Assert.Equal(3, results.Select(Convert.ToHexString).Distinct().Count());
        Assert.All(results, r => Assert.NotEqual(StatisticsAggregate.Size, r.Length));

        foreach (string party in JointStatisticsApp.PartyNames)
        {
            long[] values = [.. File.ReadLines(JointStatisticsApp.DataFile(AppContext.BaseDirectory, party)).Where(l => !l.StartsWith('#')).Select(long.Parse)];
            Assert.Equal(12, values.Length);
            byte[] plaintext = new byte[values.Length * sizeof(long)];
            for (int i = 0; i < values.Length; i++)
            {
                BinaryPrimitives.WriteInt64LittleEndian(plaintext.AsSpan(i * sizeof(long)), values[i]);
            }

            RelayedExchange submit = Assert.Single(relay, e => e.Party == party && e.Step == RelayStep.Submit);
            Assert.True(submit.Request.Length > plaintext.Length, "a sealed record is longer than its plaintext");
            foreach (RelayedExchange exchange in relay)
            {
                Assert.True(exchange.Request.AsSpan().IndexOf(plaintext) < 0 && exchange.Response.AsSpan().IndexOf(plaintext) < 0, $"{party}'s values in clear in {exchange.Party} /{exchange.Step}");
                foreach (long value in values)
                {
                    byte[] binary = BitConverter.GetBytes(value);
                    byte[] decimalText = Encoding.UTF8.GetBytes(value.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    Assert.True(exchange.Request.AsSpan().IndexOf(binary) < 0 && exchange.Response.AsSpan().IndexOf(binary) < 0, $"{value} (int64) in {exchange.Party} /{exchange.Step}");
                    Assert.True(exchange.Request.AsSpan().IndexOf(decimalText) < 0 && exchange.Response.AsSpan().IndexOf(decimalText) < 0, $"{value} (text) in {exchange.Party} /{exchange.Step}");
                }
            }
        }
    }

    private static string WithoutModeLine(string output) =>
        string.Join('\n', output.Split('\n').Where(l => !l.StartsWith("(isolated mode", StringComparison.Ordinal) && !l.StartsWith("(in-process mode", StringComparison.Ordinal)));
}
