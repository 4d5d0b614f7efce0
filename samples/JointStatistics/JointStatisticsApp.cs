using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using EnclaveGen;
using EnclaveGen.AspNetCore;
using JointStatistics.Parties;

namespace JointStatistics.Host;

/// <summary>What one run of the sample did: its exit code, each party's outcome and everything the host relayed.</summary>
/// <param name="ExitCode">0 when every party received the aggregate and the audit found no plaintext in the relay.</param>
/// <param name="Parties">Each party's outcome, in the order of <see cref="JointStatisticsApp.PartyNames"/>.</param>
/// <param name="Relay">Every connection the host relayed, with its bytes.</param>
public sealed record JointStatisticsRun(int ExitCode, IReadOnlyList<PartyOutcome> Parties, IReadOnlyList<RelayedConnection> Relay);

/// <summary>
/// The sample's whole story, callable from Program and from the end-to-end test: the host loads
/// the statistics enclave, which makes its TLS key and RA-TLS certificate inside, and relays TCP
/// connections on loopback to it; three party processes (this same program, in the <c>party</c>
/// role) each send their values with an ordinary HttpClient that checks the enclave's evidence in
/// the TLS handshake; the host prints what it relayed, and an audit shows it was only TLS records.
/// </summary>
public static class JointStatisticsApp
{
    /// <summary>The three parties, in the order their output is printed (they run concurrently).</summary>
    public static IReadOnlyList<string> PartyNames { get; } = ["Contoso", "Fabrikam", "Northwind"];

    /// <summary>Runs the sample and returns its exit code (0 on success).</summary>
    public static async Task<int> RunAsync(TextWriter output, EnclaveMode mode = EnclaveMode.Isolated, TimeSpan? timeout = null) =>
        (await RunSessionAsync(output, mode, timeout)).ExitCode;

    /// <summary>Runs the sample and returns what happened, relay log included (for the end-to-end test).</summary>
    /// <param name="output">Where the story is printed (deterministic: no ports, process ids, keys or timings).</param>
    /// <param name="mode">Where the enclave runs; isolated (a process of its own) by default.</param>
    /// <param name="timeout">How long the parties may take in all (two minutes by default).</param>
    public static async Task<JointStatisticsRun> RunSessionAsync(TextWriter output, EnclaveMode mode = EnclaveMode.Isolated, TimeSpan? timeout = null)
    {
        TimeSpan limit = timeout ?? TimeSpan.FromMinutes(2);
        string programFolder = Path.GetDirectoryName(typeof(JointStatisticsApp).Assembly.Location) ?? AppContext.BaseDirectory;

        output.WriteLine($"JointStatistics: {PartyNames.Count} parties pool their engineers' salaries in an enclave that");
        output.WriteLine("releases only the aggregate; no party, and not the host, sees anyone else's values.");
        output.WriteLine(mode == EnclaveMode.Isolated
            ? "(isolated mode: the enclave runs in a process of its own; the host process holds only ciphertext)"
            : "(in-process mode: the enclave shares the host's process; the boundary is sealed, but a hostile host could read its memory)");
        output.WriteLine("(EMULATED platform: quotes are signed by this machine's emulated quoting authority, not by Intel;");
        output.WriteLine(" each party's policy accepts that explicitly and says so; it protects nothing from the machine's owner)");
        output.WriteLine();

        await using StatisticsHost host = await StatisticsHost.StartAsync(mode);
        EnclaveIdentity identity = host.Identity;
        output.WriteLine($"host: loaded {identity.EnclaveTypeName}{(identity.IsDebug ? " (DEBUG)" : "")}, MRENCLAVE {Convert.ToHexStringLower(identity.Mrenclave.AsSpan())}");
        output.WriteLine("host: the enclave made its TLS key and an RA-TLS certificate inside (evidence binding the key, OID 2.23.133.5.4.9)");
        output.WriteLine("host: relaying TCP connections on loopback (a port the system picked) to the enclave, where TLS ends: HTTPS to the enclave");

        // The trust root goes to the parties out of band (here: a file); with real hardware it
        // would be Intel's root CA, which every party already has.
        string exchangeFolder = Path.Combine(Path.GetTempPath(), "jointstatistics-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(exchangeFolder);
        try
        {
            string trustRoot = Path.Combine(exchangeFolder, "emulated-root.der");
            await File.WriteAllBytesAsync(trustRoot, EnclavePlatform.Default.AttestationRootCertificate.ToArray());
            output.WriteLine("host: the emulated platform's root certificate goes to each party out of band (a file)");
            output.WriteLine($"starting {PartyNames.Count} party processes; each reads only its own data file");
            output.WriteLine();

            string enclaveLibrary = Path.Combine(programFolder, "JointStatistics.Enclave.dll");
            List<(string Name, Process Process)> started = [];
            PartyOutcome[] outcomes;
            try
            {
                foreach (string name in PartyNames)
                {
                    started.Add((name, PartyProcess.Start(
                    [
                        "--name", name,
                        "--host", host.Address.ToString(),
                        "--trust-root", trustRoot,
                        "--data", DataFile(programFolder, name),
                        "--enclave-library", enclaveLibrary,
                        "--allow-emulated",
                        "--allow-debug",
                    ])));
                }

                outcomes = await Task.WhenAll(started.Select(p => PartyProcess.WaitAsync(p.Name, p.Process, limit)));
            }
            finally
            {
                foreach ((_, Process process) in started)
                {
                    if (!process.HasExited)
                    {
                        process.Kill(entireProcessTree: true);
                    }

                    process.Dispose();
                }
            }

            foreach (PartyOutcome party in outcomes)
            {
                output.WriteLine($"[{party.Name}] (a process of its own; exit code {party.ExitCode})");
                foreach (string line in party.Output)
                {
                    output.WriteLine($"  {line}");
                }

                output.WriteLine();
            }

            IReadOnlyList<RelayedConnection> relay = host.Relay.Snapshot();
            output.WriteLine($"host: what it relayed ({relay.Count} connections; never content)");
            PrintRelay(output, relay);
            output.WriteLine();

            bool audited = Audit(output, programFolder, relay, outcomes);
            bool allReceived = outcomes.All(p => p.ExitCode == PartyApp.Success);
            int exitCode = allReceived && audited ? 0 : 1;
            if (!allReceived)
            {
                output.WriteLine("not every party received the aggregate (see its output above)");
                foreach (PartyOutcome party in outcomes.Where(p => p.Errors.Length > 0))
                {
                    output.WriteLine($"[{party.Name}] stderr: {party.Errors.Trim()}");
                }
            }

            return new JointStatisticsRun(exitCode, outcomes, relay);
        }
        finally
        {
            Directory.Delete(exchangeFolder, recursive: true);
        }
    }

    /// <summary>
    /// One line per connection: what it carried and how it ended, never content. Sizes are left
    /// out (a signature's length varies by a byte from run to run) and the lines sorted (the
    /// parties' connections arrive in a different order every run), so the story prints the same
    /// lines every run.
    /// </summary>
    private static void PrintRelay(TextWriter output, IReadOnlyList<RelayedConnection> relay)
    {
        IEnumerable<string> lines = relay.Select(c => $"  a connection: TLS records both ways ({(c.ToEnclave.Length > 0 ? "bytes in" : "nothing in")}, {(c.FromEnclave.Length > 0 ? "bytes out" : "nothing out")}); the enclave {c.Outcome}");
        foreach (string line in lines.Order(StringComparer.Ordinal))
        {
            output.WriteLine(line);
        }
    }

    /// <summary>Where a party's data file is (copied next to the program).</summary>
    public static string DataFile(string programFolder, string party) =>
        Path.Combine(programFolder, "data", party.ToLowerInvariant() + ".csv");

    /// <summary>
    /// Looks for every party's plaintext in every byte the host relayed, and checks the enclave's
    /// aggregate against one computed in the clear. Only this audit (not the host's relaying code)
    /// opens the data files, after the parties are done: it stands for the parties comparing notes.
    /// </summary>
    private static bool Audit(TextWriter output, string programFolder, IReadOnlyList<RelayedConnection> relay, IReadOnlyList<PartyOutcome> outcomes)
    {
        List<long> all = [];
        List<byte[]> needles = [];
        foreach (string party in PartyNames)
        {
            long[] values = PartyApp.ReadValues(DataFile(programFolder, party));
            all.AddRange(values);
            byte[] submission = new byte[values.Length * sizeof(long)];
            for (int i = 0; i < values.Length; i++)
            {
                BinaryPrimitives.WriteInt64LittleEndian(submission.AsSpan(i * sizeof(long)), values[i]);
                needles.Add(submission.AsSpan(i * sizeof(long), sizeof(long)).ToArray());
                needles.Add(Encoding.UTF8.GetBytes(values[i].ToString(CultureInfo.InvariantCulture)));
            }

            needles.Add(submission);
        }

        StatisticsAggregate expected = Compute(all);
        needles.Add(expected.ToBytes());

        int found = relay.Sum(c => needles.Count(n => c.ToEnclave.AsSpan().IndexOf(n) >= 0 || c.FromEnclave.AsSpan().IndexOf(n) >= 0));
        output.WriteLine($"audit of the relay log: {all.Count} values (as int64 and as text), {PartyNames.Count} submissions and the aggregate in clear,");
        output.WriteLine(found == 0
            ? $"  looked for in every byte of all {relay.Count} relayed connections: found 0 times: the host saw only TLS records"
            : $"  looked for in every byte of all {relay.Count} relayed connections: FOUND {found} times: plaintext went through the host");

        string expectedLine = $"aggregate, decrypted by {{0}}: {PartyApp.Describe(expected)}";
        bool agree = outcomes.All(p => p.Output.Contains(string.Format(CultureInfo.InvariantCulture, expectedLine, p.Name)));
        output.WriteLine($"check: computed in the clear from the three files: {PartyApp.Describe(expected)}");
        output.WriteLine(agree
            ? "  every party's decrypted aggregate matches it"
            : "  a party's decrypted aggregate DIFFERS (or is missing)");
        return found == 0 && agree;
    }

    private static StatisticsAggregate Compute(List<long> values)
    {
        long[] sorted = [.. values.Order()];
        int count = sorted.Length;
        double median = count % 2 == 1 ? sorted[count / 2] : (sorted[(count / 2) - 1] + (double)sorted[count / 2]) / 2;
        Int128 sum = 0;
        foreach (long value in sorted)
        {
            sum += value;
        }

        return new StatisticsAggregate(PartyNames.Count, count, (double)sum / count, median, StatisticsEnclave.Threshold, sorted.Count(v => v > StatisticsEnclave.Threshold));
    }
}
