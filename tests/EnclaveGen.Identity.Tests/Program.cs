namespace EnclaveGen.Identity.Tests;

/// <summary>
/// The test assembly's entry point, used only as the child process of <see cref="SealedFileCrashTests"/>:
/// <c>dotnet exec EnclaveGen.Identity.Tests.dll crash-writer &lt;folder&gt; &lt;home&gt; atomic|in-place</c>.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length == 4 && args[0] == CrashWriter.Command)
        {
            CrashWriter.Run(args[1], args[2], inPlace: args[3] == "in-place");
            return 0;
        }

        Console.Error.WriteLine($"usage: {CrashWriter.Command} <folder> <enclavegen-home> atomic|in-place");
        return 2;
    }
}
