namespace EnclaveGen.Cli.Commands;

/// <summary>
/// Errors in MSBuild's canonical format (<c>enclavegen : error EG5002: text</c>), so the build step
/// that runs the CLI shows them as build errors, and a person reads them just as well.
/// </summary>
internal static class CommandErrors
{
    /// <summary>No signing key and EnclaveDebug=false.</summary>
    public const string NoKeyForRelease = "EG5001";

    /// <summary>Measuring or signing failed.</summary>
    public const string SigningFailed = "EG5002";

    /// <summary>A measured component was built without path mapping (warning).</summary>
    public const string FolderDependentBuild = "EG5005";

    /// <summary>The debug signing key follows the project's path: no EnclaveDebugKeyId (warning).</summary>
    public const string DebugKeyFollowsPath = "EG5008";

    /// <summary>Measuring or verifying an enclave library failed.</summary>
    public const string MeasureFailed = "EG5010";

    /// <summary>A sealed file could not be read.</summary>
    public const string InspectFailed = "EG5020";

    /// <summary>Verifying evidence could not start: an argument or input file cannot be used.</summary>
    public const string VerifyFailed = "EG5030";

    public static int Report(TextWriter error, string code, string message)
    {
        error.WriteLine($"enclavegen : error {code}: {message}");
        return 1;
    }
}
