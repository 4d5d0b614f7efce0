using System.CommandLine;

namespace EnclaveGen.Cli;

internal static class Program
{
    private static int Main(string[] args)
    {
        RootCommand root = new("enclavegen: measure, sign and verify EnclaveGen enclaves and TEE evidence.");
        root.Subcommands.Add(Commands.VerifyCommand.Create());
        return root.Parse(args).Invoke();
    }
}
