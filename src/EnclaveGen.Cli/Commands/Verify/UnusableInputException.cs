namespace EnclaveGen.Cli.Commands.Verify;

/// <summary>An argument or input file that cannot be used (exit code 2): the message says which and what to give instead.</summary>
internal sealed class UnusableInputException(string message) : Exception(message);
