using EnclaveGen;
using PrivateInference.Host;

// dotnet run --project samples/PrivateInference [-- --state <folder>] [--in-process] [--platform <profile>]
//   --state       where the host stores the model's protected file (default: <EnclaveGen home>/samples/PrivateInference)
//   --in-process  run the enclave inside the host's process instead of a process of its own
//   --platform    the TEE profile, e.g. cvm-emulated: the enclave's evidence is then a confidential VM's (docs/profiles.md)
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
        case "--platform" when i + 1 < args.Length && TeeProfiles.TryParse(args[i + 1], out TeeProfile profile):
            // The enclave (in this process or its own) reads the profile from the environment.
            Environment.SetEnvironmentVariable(TeeProfiles.EnvironmentVariable, TeeProfiles.Name(profile));
            i++;
            break;
        default:
            Console.Error.WriteLine($"Unknown or incomplete option '{args[i]}'. Usage: PrivateInference [--state <folder>] [--in-process] [--platform <sgx-emulated|cvm-emulated|cvm-emulated-tdx|cvm>]");
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
