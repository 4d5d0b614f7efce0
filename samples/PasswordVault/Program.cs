using PasswordVault.Host;

// dotnet run --project samples/PasswordVault [-- --vault <folder>] [--in-process]
//   --vault       where the sealed vault is kept between runs (default: <EnclaveGen home>/samples/PasswordVault)
//   --in-process  run the enclave inside the host's process, to see what isolated mode prevents
return await VaultApp.MainAsync(args, Console.Out, Console.Error);
