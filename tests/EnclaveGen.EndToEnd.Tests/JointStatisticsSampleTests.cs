using System.Buffers.Binary;
using System.Text;
using EnclaveGen.AspNetCore;
using JointStatistics;
using JointStatistics.Host;

namespace EnclaveGen.EndToEnd.Tests;

/// <summary>
/// `dotnet run --project samples/JointStatistics` does what it says: three party processes each
/// send their values with an HttpClient whose attested TLS validation checks the enclave's RA-TLS
/// certificate, over HTTPS that ends inside the enclave, and receive only the aggregate; the host
/// relays nothing but TLS records.
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
            Assert.Contains("certificate: VERIFIED (EMULATED, DEBUG); MRENCLAVE matches; its evidence binds the TLS key: TLS 1.3 to the enclave", party.Output);
            Assert.Contains("sent its 12 values over that connection (96 bytes, encrypted by TLS for the enclave)", party.Output);
            Assert.Contains($"aggregate, decrypted by {party.Name}: {Aggregate}", party.Output);
        }

        Assert.Equal(["Contoso", "Fabrikam", "Northwind"], isolated.Parties.Select(p => p.Name));
        Assert.Contains("found 0 times: the host saw only TLS records", text);
        Assert.Contains("host: the enclave made its TLS key and an RA-TLS certificate inside", text);
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
        Assert.DoesNotContain("https://", text);
    }

    private static void AssertRelayHoldsOnlyCiphertext(IReadOnlyList<RelayedConnection> relay)
    {
        // One connection per party, each answered by the enclave; every one carried a TLS 1.3
        // handshake (records of type 22, version 0x0303 on the wire) and then application data (23).
        Assert.Equal(3, relay.Count);
        Assert.All(relay, c => Assert.StartsWith("answered one request", c.Outcome, StringComparison.Ordinal));
        Assert.All(relay, c => Assert.Equal(new byte[] { 22, 3 }, c.ToEnclave[..2]));
        Assert.All(relay, c => Assert.Equal(new byte[] { 22, 3 }, c.FromEnclave[..2]));
        Assert.All(relay, c => Assert.True(c.ToEnclave.AsSpan().IndexOf(new byte[] { 23, 3, 3 }) > 0, "the request went as TLS application data"));

        // No HTTP in clear either way: the request line, the path and the answer's status line are inside TLS.
        foreach (RelayedConnection connection in relay)
        {
            Assert.True(connection.ToEnclave.AsSpan().IndexOf("POST"u8) < 0 && connection.ToEnclave.AsSpan().IndexOf("/parties/"u8) < 0, "an HTTP request line in clear");
            Assert.True(connection.FromEnclave.AsSpan().IndexOf("HTTP/1.1"u8) < 0, "an HTTP status line in clear");
        }

        foreach (string party in JointStatisticsApp.PartyNames)
        {
            long[] values = [.. File.ReadLines(JointStatisticsApp.DataFile(AppContext.BaseDirectory, party)).Where(l => !l.StartsWith('#')).Select(long.Parse)];
            Assert.Equal(12, values.Length);
            byte[] plaintext = new byte[values.Length * sizeof(long)];
            for (int i = 0; i < values.Length; i++)
            {
                BinaryPrimitives.WriteInt64LittleEndian(plaintext.AsSpan(i * sizeof(long)), values[i]);
            }

            Assert.True(relay.All(c => c.ToEnclave.AsSpan().IndexOf(Encoding.ASCII.GetBytes(party)) < 0), $"{party}'s name (in the request path) in clear");
            foreach (RelayedConnection connection in relay)
            {
                Assert.True(connection.ToEnclave.AsSpan().IndexOf(plaintext) < 0 && connection.FromEnclave.AsSpan().IndexOf(plaintext) < 0, $"{party}'s values in clear in connection {connection.Number}");
                foreach (long value in values)
                {
                    byte[] binary = BitConverter.GetBytes(value);
                    byte[] decimalText = Encoding.UTF8.GetBytes(value.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    Assert.True(connection.ToEnclave.AsSpan().IndexOf(binary) < 0 && connection.FromEnclave.AsSpan().IndexOf(binary) < 0, $"{value} (int64) in connection {connection.Number}");
                    Assert.True(connection.ToEnclave.AsSpan().IndexOf(decimalText) < 0 && connection.FromEnclave.AsSpan().IndexOf(decimalText) < 0, $"{value} (text) in connection {connection.Number}");
                }
            }
        }
    }

    private static string WithoutModeLine(string output) =>
        string.Join('\n', output.Split('\n').Where(l => !l.StartsWith("(isolated mode", StringComparison.Ordinal) && !l.StartsWith("(in-process mode", StringComparison.Ordinal)));
}
