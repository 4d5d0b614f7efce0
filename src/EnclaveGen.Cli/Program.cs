using System.CommandLine;
using EnclaveGen.Cli.Commands;

namespace EnclaveGen.Cli;

internal static class Program
{
    private static int Main(string[] args)
    {
        RootCommand root = new("enclavegen: measure, sign and verify EnclaveGen enclaves and TEE evidence.");
        root.Subcommands.Add(MeasureCommand.Create());
        root.Subcommands.Add(SignCommand.Create());
        root.Subcommands.Add(InspectCommand.Create());
        root.Subcommands.Add(VerifyCommand.Create());
        return root.Parse(args).Invoke();
    }
}
