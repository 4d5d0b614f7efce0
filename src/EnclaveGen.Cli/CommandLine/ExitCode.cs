namespace EnclaveGen.Cli.CommandLine;

/// <summary>The exit codes of every <c>enclavegen</c> command (docs/cli.md#exit-codes).</summary>
internal static class ExitCode
{
    /// <summary>The command did what was asked (for <c>verify</c>: the evidence is valid and accepted).</summary>
    public const int Success = 0;

    /// <summary>The answer is "no": evidence refused, a signature or measurement that does not match, a refusal to give a misleading answer.</summary>
    public const int No = 1;

    /// <summary>Bad usage or unreadable input: an unknown option, a missing argument, a file that does not exist or is not what the command takes.</summary>
    public const int Unusable = 2;
}
