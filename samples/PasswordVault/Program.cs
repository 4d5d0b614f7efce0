using EnclaveGen;
using PasswordVault.Host;

// dotnet run --project samples/PasswordVault [-- --vault <folder>] [--in-process]
//   --vault       where the sealed vault is kept between runs (default: <EnclaveGen home>/samples/PasswordVault)
//   --in-process  run the enclave inside the host's process, to see what isolated mode prevents
string vaultFolder = VaultApp.DefaultVaultFolder;
EnclaveMode mode = EnclaveMode.Isolated;
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
        default:
            Console.Error.WriteLine($"Unknown or incomplete option '{args[i]}'. Usage: PasswordVault [--vault <folder>] [--in-process]");
            return 64;
    }
}

await VaultApp.RunAsync(Console.Out, vaultFolder, mode);
return 0;
