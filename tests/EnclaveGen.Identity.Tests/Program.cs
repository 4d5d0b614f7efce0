namespace EnclaveGen.Identity.Tests;

/// <summary>
/// The test assembly's entry point, used only as the child process of the process-level tests:
/// <c>dotnet exec EnclaveGen.Identity.Tests.dll crash-writer &lt;folder&gt; &lt;home&gt; atomic|in-place</c>
/// (<see cref="SealedFileCrashTests"/>), <c>protected-writer &lt;folder&gt; &lt;home&gt; bound|unbound</c>
/// (<see cref="ProtectedFileCrashTests"/>) and <c>counter-incrementer &lt;home&gt; &lt;count&gt;</c> (<see cref="CounterProcessTests"/>).
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length == 4 && args[0] == CrashWriter.Command)
        {
            CrashWriter.Run(args[1], args[2], inPlace: args[3] == "in-place");
            return 0;
        }

        if (args.Length == 4 && args[0] == ProtectedFileWriter.WriterCommand)
        {
            ProtectedFileWriter.RunWriter(args[1], args[2], rollbackProtection: args[3] == "bound");
            return 0;
        }

        if (args.Length == 3 && args[0] == ProtectedFileWriter.CounterCommand)
        {
            ProtectedFileWriter.RunCounter(args[1], int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture));
            return 0;
        }

        Console.Error.WriteLine($"usage: {CrashWriter.Command} <folder> <enclavegen-home> atomic|in-place");
        Console.Error.WriteLine($"       {ProtectedFileWriter.WriterCommand} <folder> <enclavegen-home> bound|unbound");
        Console.Error.WriteLine($"       {ProtectedFileWriter.CounterCommand} <enclavegen-home> <count>");
        return 2;
    }
}
