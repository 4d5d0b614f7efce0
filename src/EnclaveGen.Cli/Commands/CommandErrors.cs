namespace EnclaveGen.Cli.Commands;

/// <summary>
/// The codes of the errors and warnings the commands report (one page each in docs/diagnostics);
/// <see cref="CommandLine.CommandOutput"/> writes them. The command line's own code is
/// <see cref="CommandLine.EnclaveGenCommandLine.UsageError"/>.
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

    /// <summary>The boundary of an enclave library could not be read.</summary>
    public const string BoundaryFailed = "EG5050";
}
