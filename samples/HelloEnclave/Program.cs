using EnclaveGen;
using HelloEnclave.Host;

// `dotnet run --project samples/HelloEnclave -- --isolated` runs the enclave in a process of its own.
try
{
    await HelloApp.RunAsync(Console.Out, args.Contains("--isolated") ? EnclaveMode.Isolated : EnclaveMode.InProcess);
    return 0;
}
catch (EnclavePlatformException platform)
{
    // The per-user platform store is refused (another user can write to it, say): one line, with the fix.
    Console.Error.WriteLine($"HelloEnclave cannot use the emulated platform's store: {platform.Message}");
    return 2;
}
