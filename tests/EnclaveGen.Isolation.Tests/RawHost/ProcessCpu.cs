using System.Globalization;

namespace EnclaveGen.Isolation.Tests.RawHost;

/// <summary>A process's CPU time (user + system), or some of its threads', as /proc reports it.</summary>
internal static class ProcessCpu
{
    // USER_HZ: the unit of utime and stime; 100 on every Linux architecture .NET runs on.
    private const double TicksPerSecond = 100;

    public static TimeSpan Of(int pid) => Parse(File.ReadAllText($"/proc/{pid}/stat"));

    /// <summary>The CPU time of the process's threads whose name starts with <paramref name="threadName"/> (/proc/&lt;pid&gt;/task).</summary>
    public static TimeSpan OfThreads(int pid, string threadName)
    {
        TimeSpan total = TimeSpan.Zero;
        foreach (string task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
        {
            try
            {
                if (File.ReadAllText(Path.Combine(task, "comm")).StartsWith(threadName, StringComparison.Ordinal))
                {
                    total += Parse(File.ReadAllText(Path.Combine(task, "stat")));
                }
            }
            catch (IOException)
            {
                // The thread ended while it was read.
            }
        }

        return total;
    }

    /// <summary>How many of the process's threads have a name that starts with <paramref name="threadName"/>.</summary>
    public static int CountThreads(int pid, string threadName) =>
        Directory.EnumerateDirectories($"/proc/{pid}/task").Count(task => File.Exists(Path.Combine(task, "comm")) && File.ReadAllText(Path.Combine(task, "comm")).StartsWith(threadName, StringComparison.Ordinal));

    private static TimeSpan Parse(string stat)
    {
        // The command name (field 2) is in parentheses and may hold spaces: count fields after its end.
        string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        long user = long.Parse(fields[11], CultureInfo.InvariantCulture);
        long system = long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds((user + system) / TicksPerSecond);
    }
}
