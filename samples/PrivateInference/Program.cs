using EnclaveGen;
using PrivateInference.Host;

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

await InferenceApp.RunAsync(Console.Out, stateFolder, mode);
return 0;
