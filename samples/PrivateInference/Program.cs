using EnclaveGen;
using PrivateInference.Host;

// The model owner's process, started by the sample itself: `PrivateInference owner ...`.
if (args is ["owner", .. string[] ownerArguments])
{
    return await ModelOwnerService.RunAsync(ownerArguments, Console.In, Console.Out);
}

// dotnet run --project samples/PrivateInference [-- --state <folder>] [--in-process]
//   --state       where the host stores the model's protected file (default: <EnclaveGen home>/samples/PrivateInference)
//   --in-process  run the enclave inside the host's process instead of a process of its own
string stateFolder = InferenceApp.DefaultStateFolder;
EnclaveMode mode = EnclaveMode.Isolated;
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--state" when i + 1 < args.Length:
            stateFolder = Path.GetFullPath(args[++i]);
            break;
        case "--in-process":
            mode = EnclaveMode.InProcess;
            break;
        default:
            Console.Error.WriteLine($"Unknown or incomplete option '{args[i]}'. Usage: PrivateInference [--state <folder>] [--in-process]");
            return 64;
    }
}

try
{
    await InferenceApp.RunAsync(Console.Out, stateFolder, mode);
    return 0;
}
catch (EnclavePlatformException platform)
{
    // The per-user platform store is refused (another user can write to it, say): one line, with the fix.
    Console.Error.WriteLine($"PrivateInference cannot use the emulated platform's store: {platform.Message}");
    return 2;
}
catch (TrustedCodeException unsealing) when (unsealing.ExceptionTypeName == typeof(EnclaveSealingException).FullName)
{
    // The enclave could not open model.sealed (replaced by another build's, say); it is left as it is.
    Console.Error.WriteLine($"PrivateInference: {Path.Combine(stateFolder, "model.sealed")} cannot be opened by this enclave{(unsealing.EnclaveMessage is { } why ? $" ({why.ReplaceLineEndings(" ")})" : string.Empty)}. Run again with --state <another folder>.");
    return 2;
}
