using EnclaveGen.Cli.CommandLine;

namespace EnclaveGen.Cli;

internal static class Program
{
    private static int Main(string[] args) => EnclaveGenCommandLine.Run(args, Console.Out, Console.Error);
}
