namespace EnclaveGen.Tests;

/// <summary>Runs <c>dotnet build</c> on a temporary project, as the planted-leak tests need it (linked into each test project that builds one).</summary>
internal static class DotnetBuild
{
    private static readonly Dictionary<string, string> s_noVariables = [];

    /// <summary>The repository's root: the folder above the test's output that holds EnclaveGen.sln.</summary>
    public static string RepositoryRoot()
    {
        for (DirectoryInfo? at = new(AppContext.BaseDirectory); at is not null; at = at.Parent)
        {
            if (File.Exists(Path.Combine(at.FullName, "EnclaveGen.sln")))
            {
                return at.FullName;
            }
        }

        throw new InvalidOperationException("The tests run outside the repository: EnclaveGen.sln was not found above " + AppContext.BaseDirectory);
    }

    /// <summary>Builds the project in <paramref name="folder"/>; gives the exit code and everything it printed.</summary>
    public static Task<(int ExitCode, string Log)> RunAsync(string folder) => Task.Run(() =>
    {
        // No build server or node left behind after the test.
        DotnetProcess.Result result = DotnetProcess.Run(folder, s_noVariables, "build", "-nologo", "-nodeReuse:false", "-p:UseSharedCompilation=false", "-clp:NoSummary");
        return (result.ExitCode, result.Output);
    });
}
