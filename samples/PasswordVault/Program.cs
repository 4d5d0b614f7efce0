using PasswordVault.Host;

// dotnet run --project samples/PasswordVault [-- --vault <folder>] [--in-process] [--new]
//   --vault       where the vault's protected file is kept between runs (default: <EnclaveGen home>/samples/PasswordVault)
//   --in-process  run the enclave inside the host's process, to see what isolated mode prevents
//   --new         start a new vault, replacing the old one (needed after deleting its file: its counter remembers it)
return await VaultApp.MainAsync(args, Console.Out, Console.Error);
