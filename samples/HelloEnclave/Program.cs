using EnclaveGen;
using HelloEnclave.Host;

// `dotnet run --project samples/HelloEnclave -- --isolated` runs the enclave in a process of its own.
await HelloApp.RunAsync(Console.Out, args.Contains("--isolated") ? EnclaveMode.Isolated : EnclaveMode.InProcess);
