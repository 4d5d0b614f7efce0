using EnclaveGen;
using JointStatistics.Host;
using JointStatistics.Parties;

// `dotnet run --project samples/JointStatistics` runs the whole story: the host (enclave in a
// process of its own) and three party processes. `-- --in-process` keeps the enclave in the host.
// The party processes are this same program: `JointStatistics party --name ... --host ...`.
if (args is ["party", .. string[] partyArguments])
{
    PartyOptions options;
    try
    {
        options = PartyOptions.Parse(partyArguments);
    }
    catch (ArgumentException ex)
    {
        Console.Error.WriteLine(ex.Message);
        return PartyApp.BadInput;
    }

    return await PartyApp.RunAsync(Console.Out, options);
}

try
{
    return await JointStatisticsApp.RunAsync(Console.Out, args.Contains("--in-process") ? EnclaveMode.InProcess : EnclaveMode.Isolated);
}
catch (EnclavePlatformException platform)
{
    // The per-user platform store is refused (another user can write to it, say): one line, with the fix.
    Console.Error.WriteLine($"JointStatistics cannot use the emulated platform's store: {platform.Message}");
    return 2;
}
