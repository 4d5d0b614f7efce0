using EnclaveGen;
using PasswordVault.Host;

// dotnet run --project samples/PasswordVault [-- --vault <folder>] [--in-process] [--new]
//   --vault       where the vault's protected file is kept between runs (default: <EnclaveGen home>/samples/PasswordVault)
//   --in-process  run the enclave inside the host's process, to see what isolated mode prevents
//   --new         start a new vault, replacing the old one (needed after deleting its file: its counter remembers it)
string vaultFolder = VaultApp.DefaultVaultFolder;
EnclaveMode mode = EnclaveMode.Isolated;
bool startOver = false;
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--vault" when i + 1 < args.Length:
            vaultFolder = Path.GetFullPath(args[++i]);
            break;
        case "--in-process":
            mode = EnclaveMode.InProcess;
            break;
        case "--new":
            startOver = true;
            break;
        default:
            Console.Error.WriteLine($"Unknown or incomplete option '{args[i]}'. Usage: PasswordVault [--vault <folder>] [--in-process] [--new]");
            return 64;
    }
}

try
{
    await VaultApp.RunAsync(Console.Out, vaultFolder, mode, startOver);
}
catch (TrustedCodeException refused) when (refused.ExceptionTypeName == typeof(ProtectedFileException).FullName)
{
    Console.Error.WriteLine($"The enclave refused the vault's file: {refused.EnclaveMessage ?? "(the reason stays inside a production enclave)"}");
    Console.Error.WriteLine("If you deleted or replaced the vault's file on purpose, run with --new to start a new vault.");
    return 1;
}

return 0;
