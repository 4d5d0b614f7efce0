using EnclaveGen;
using HelloEnclave.Host;

// `dotnet run --project samples/HelloEnclave -- --isolated` runs the enclave in a process of its own;
// `-- --platform trustzone-emulated` opens it as a trusted application by UUID (docs/profiles.md).
TeeProfile? profile = null;
int platformAt = Array.IndexOf(args, "--platform");
if (platformAt >= 0)
{
    if (platformAt + 1 >= args.Length)
    {
        Console.Error.WriteLine("--platform needs a profile name, for example --platform trustzone-emulated.");
        return 64;
    }

    try
    {
        profile = TeeProfiles.Parse(args[platformAt + 1]);
    }
    catch (ArgumentException unknown)
    {
        Console.Error.WriteLine($"--platform: {unknown.Message}");
        return 64;
    }

    // An isolated enclave's process reads its profile from the environment it inherits.
    Environment.SetEnvironmentVariable(TeeProfiles.EnvironmentVariable, TeeProfiles.Name(profile.Value));
}

try
{
    await HelloApp.RunAsync(Console.Out, args.Contains("--isolated") ? EnclaveMode.Isolated : EnclaveMode.InProcess, profile);
    return 0;
}
catch (EnclavePlatformException platform)
{
    // The per-user platform store is refused (another user can write to it, say): one line, with the fix.
    Console.Error.WriteLine($"HelloEnclave cannot use the emulated platform's store: {platform.Message}");
    return 2;
}
