using EnclaveGen.AspNetCore;
using JointStatistics;
using JointStatistics.Host;
using JointStatistics.Parties;

namespace EnclaveGen.EndToEnd.Tests;

/// <summary>The party's side of JointStatistics, run in this process: its policy decides, and bad input gets a typed error.</summary>
public sealed class JointStatisticsPartyTests
{
    [Fact]
    public async Task APartyWhosePolicyRefusesEmulatedEvidenceSendsNothing()
    {
        string folder = Path.Combine(Path.GetTempPath(), "jointstatistics-test-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            string root = Path.Combine(folder, "root.der");
            await File.WriteAllBytesAsync(root, EnclavePlatform.Default.AttestationRootCertificate.ToArray());
            await using StatisticsHost host = await StatisticsHost.StartAsync(EnclaveMode.InProcess);
            StringWriter output = new();
            var strict = new PartyOptions(
                "Contoso",
                host.Address,
                root,
                JointStatisticsApp.DataFile(AppContext.BaseDirectory, "Contoso"),
                Path.Combine(AppContext.BaseDirectory, "JointStatistics.Enclave.dll"),
                AllowEmulated: false,
                AllowDebug: true);

            int exitCode = await PartyApp.RunAsync(output, strict).WaitAsync(TimeSpan.FromMinutes(1));

            string text = output.ToString();
            Assert.Equal(PartyApp.Refused, exitCode);
            Assert.Contains("policy: refuses emulated evidence (real hardware only)", text);
            Assert.Contains("certificate: REFUSED (tls.policyRefused)", text);
            Assert.Contains("nothing was sent", text);
            Assert.DoesNotContain("VERIFIED", text);

            // The party hung up in the TLS handshake: the enclave's ServeAsync ended without a
            // request, and the party sent no encrypted record long enough to hold one (in TLS 1.3
            // an encrypted alert is also type 23; the request, with its 96 bytes of values, is longer).
            RelayedConnection only = await EndedAsync(host);
            Assert.StartsWith("ended without a request", only.Outcome, StringComparison.Ordinal);
            List<(byte Type, int Length)> records = TlsRecordLayer.Records(only.ToEnclave);
            Assert.Equal(22, records[0].Type);
            Assert.All(records.Where(r => r.Type == 23), r => Assert.True(r.Length < 96, $"an encrypted record of {r.Length} bytes left the refusing party"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [InlineData("--name Contoso --trust-root r --data d", "--host is required")]
    [InlineData("--name Contoso --host ftp://x/ --trust-root r --data d", "--host must be an http(s) address")]
    [InlineData("--name Contoso --host http://127.0.0.1:1/ --trust-root r --data", "--data needs a value")]
    [InlineData("--name Contoso --host http://127.0.0.1:1/ --trust-root r --data d --allow-everything", "Unknown option '--allow-everything'")]
    public void PartyArgumentsThatAreIncompleteOrUnknownAreRefusedWithTheUsage(string arguments, string message)
    {
        ArgumentException error = Assert.Throws<ArgumentException>(() => PartyOptions.Parse(arguments.Split(' ')));
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void PartyArgumentsAreReadWithPoliciesOffUnlessAskedFor()
    {
        PartyOptions options = PartyOptions.Parse(["--name", "Contoso", "--host", "http://127.0.0.1:5000/", "--trust-root", "r", "--data", "d", "--allow-debug"]);

        Assert.Equal("Contoso", options.Name);
        Assert.Equal(new Uri("http://127.0.0.1:5000/"), options.Host);
        Assert.False(options.AllowEmulated);
        Assert.True(options.AllowDebug);
    }

    [Theory]
    [InlineData("# comment\n12\nabc\n", "line 3: 'abc' is not an integer")]
    [InlineData("# nothing but a comment\n\n", "holds no values")]
    public void ADataFileThatIsNotIntegersIsRefusedWithItsLine(string content, string message)
    {
        string file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, content);
            FormatException error = Assert.Throws<FormatException>(() => PartyApp.ReadValues(file));
            Assert.Contains(message, error.Message);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void TheAggregateRoundTripsAndAMalformedOneIsRefused()
    {
        var aggregate = new StatisticsAggregate(3, 36, 89_138.89, 87_500, 100_000, 9);
        byte[] bytes = aggregate.ToBytes();

        Assert.Equal(StatisticsAggregate.Size, bytes.Length);
        Assert.Equal(aggregate, StatisticsAggregate.Parse(bytes));
        Assert.Throws<FormatException>(() => StatisticsAggregate.Parse(bytes.AsSpan(1)));
        bytes[0] = 2;
        Assert.Throws<FormatException>(() => StatisticsAggregate.Parse(bytes));
    }

    /// <summary>Waits (at most a minute) until the host's one connection has ended inside the enclave.</summary>
    private static async Task<RelayedConnection> EndedAsync(StatisticsHost host)
    {
        using CancellationTokenSource deadline = new(TimeSpan.FromMinutes(1));
        while (true)
        {
            RelayedConnection only = Assert.Single(host.Relay.Snapshot());
            if (only.Outcome != "open")
            {
                return only;
            }

            await Task.Delay(20, deadline.Token);
        }
    }
}
