using System.Diagnostics;
using System.Reflection;
using EnclaveGen.Runtime.Generated;
using EnclaveGen.Runtime.Transport.Isolated;

namespace EnclaveGen.Benchmarks.Boundary;

/// <summary>
/// What an idle isolated enclave costs: after a burst of calls, the enclave process and the host
/// are left alone for a while and their CPU time (utime + stime from /proc/&lt;pid&gt;/stat) and
/// context switches are compared before and after. Run: <c>dotnet run -c Release --project
/// tests/EnclaveGen.Benchmarks -- idle-cpu [seconds]</c>.
/// </summary>
internal static class IdleCpu
{
    public static async Task RunAsync(int seconds)
    {
        await using BenchEnclave.Proxy enclave = await BenchEnclave.CreateEnclaveAsync(new BenchHost(), new EnclaveOptions { Mode = EnclaveMode.Isolated });
        EnclaveConnection connection = (EnclaveConnection)typeof(BenchEnclave.Proxy).GetField("_connection", BindingFlags.Instance | BindingFlags.NonPublic)!.GetValue(enclave)!;
        int child = ((IsolatedTransport)connection.Transport).ProcessId;

        // A burst first, so the rings have spun and the adaptive spin limits have settled.
        for (int i = 0; i < 20_000; i++)
        {
            enclave.CallHost(i);
        }

        // Let tiered compilation and the thread pool settle, then watch.
        Thread.Sleep(TimeSpan.FromSeconds(5));
        (long childTicks, Dictionary<string, long> childThreads) = Sample(child.ToString());
        (long hostTicks, Dictionary<string, long> hostThreads) = Sample("self");
        Stopwatch clock = Stopwatch.StartNew();
        Thread.Sleep(TimeSpan.FromSeconds(seconds));
        double elapsed = clock.Elapsed.TotalSeconds;
        (long childTicksAfter, Dictionary<string, long> childThreadsAfter) = Sample(child.ToString());
        (long hostTicksAfter, Dictionary<string, long> hostThreadsAfter) = Sample("self");

        long tick = 1000 / 100; // USER_HZ is 100 on Linux: one tick is 10 ms
        Console.WriteLine($"Idle isolated enclave over {elapsed:F1} s (CPU time resolution {tick} ms):");
        Console.WriteLine($"  enclave process {child}: {(childTicksAfter - childTicks) * tick} ms CPU; wake-ups by thread: {Wakeups(childThreads, childThreadsAfter)}");
        Console.WriteLine($"  host process:          {(hostTicksAfter - hostTicks) * tick} ms CPU; wake-ups by thread: {Wakeups(hostThreads, hostThreadsAfter)}");
    }

    private static string Wakeups(Dictionary<string, long> before, Dictionary<string, long> after)
    {
        IEnumerable<string> changed = after
            .Where(thread => before.TryGetValue(thread.Key, out long earlier) && thread.Value != earlier)
            .Select(thread => $"{thread.Key}: {thread.Value - before[thread.Key]}");
        string gone = before.Keys.Except(after.Keys).Any() ? $"; threads ended: {string.Join(", ", before.Keys.Except(after.Keys))}" : "";
        string started = after.Keys.Except(before.Keys).Any() ? $"; threads started: {string.Join(", ", after.Keys.Except(before.Keys))}" : "";
        string list = string.Join(", ", changed);
        return (list.Length == 0 ? "none" : list) + gone + started;
    }

    // CPU ticks of the whole process, and context switches of each live thread ("tid name").
    private static (long Ticks, Dictionary<string, long> Threads) Sample(string pid)
    {
        string stat = File.ReadAllText($"/proc/{pid}/stat");
        string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');

        // Fields 14 and 15 of stat (utime, stime) are at 11 and 12 after the command name.
        long ticks = long.Parse(fields[11]) + long.Parse(fields[12]);
        Dictionary<string, long> threads = [];
        foreach (string task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
        {
            try
            {
                long switches = 0;
                foreach (string line in File.ReadLines(Path.Combine(task, "status")))
                {
                    if (line.StartsWith("voluntary_ctxt_switches:", StringComparison.Ordinal) || line.StartsWith("nonvoluntary_ctxt_switches:", StringComparison.Ordinal))
                    {
                        switches += long.Parse(line[(line.IndexOf(':') + 1)..].Trim());
                    }
                }

                threads[$"{Path.GetFileName(task)} {File.ReadAllText(Path.Combine(task, "comm")).Trim()}"] = switches;
            }
            catch (IOException)
            {
                // The thread ended while we looked.
            }
        }

        return (ticks, threads);
    }
}
