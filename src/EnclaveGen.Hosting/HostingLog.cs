using Microsoft.Extensions.Logging;

namespace EnclaveGen.Hosting;

/// <summary>
/// What the supervisor of a hosted enclave logs, under the category <c>EnclaveGen.Hosting</c>.
/// The event IDs are stable (2001-2099): filter and alert on them.
/// </summary>
internal static partial class HostingLog
{
    public const string Category = "EnclaveGen.Hosting";

    [LoggerMessage(EventId = 2001, EventName = "EnclaveStarted", Level = LogLevel.Information,
        Message = "Enclave {Enclave} started ({Mode}, MRENCLAVE {Mrenclave}).")]
    public static partial void Started(ILogger logger, string enclave, EnclaveMode mode, string mrenclave);

    [LoggerMessage(EventId = 2002, EventName = "EnclaveStartFailed", Level = LogLevel.Critical,
        Message = "Enclave {Enclave} failed to start, so the host does not start: {Reason}")]
    public static partial void StartFailed(ILogger logger, Exception exception, string enclave, string reason);

    [LoggerMessage(EventId = 2003, EventName = "EnclaveStopped", Level = LogLevel.Information,
        Message = "Enclave {Enclave} stopped with the host.")]
    public static partial void Stopped(ILogger logger, string enclave);

    [LoggerMessage(EventId = 2010, EventName = "EnclaveRestartScheduled", Level = LogLevel.Warning,
        Message = "Enclave {Enclave} is {State}: {Reason} Restart attempt {Attempt} in {Delay}.")]
    public static partial void RestartScheduled(ILogger logger, string enclave, EnclaveState state, string? reason, int attempt, TimeSpan delay);

    [LoggerMessage(EventId = 2011, EventName = "EnclaveRestarted", Level = LogLevel.Information,
        Message = "Enclave {Enclave} restarted on attempt {Attempt} (MRENCLAVE {Mrenclave}).")]
    public static partial void Restarted(ILogger logger, string enclave, int attempt, string mrenclave);

    [LoggerMessage(EventId = 2012, EventName = "EnclaveRestartFailed", Level = LogLevel.Error,
        Message = "Enclave {Enclave}: restart attempt {Attempt} failed: {Reason}")]
    public static partial void RestartFailed(ILogger logger, Exception exception, string enclave, int attempt, string reason);

    [LoggerMessage(EventId = 2013, EventName = "EnclaveRestartAbandoned", Level = LogLevel.Critical,
        Message = "Enclave {Enclave}: {Attempts} restart attempts failed; it stays unavailable until the host restarts.")]
    public static partial void RestartAbandoned(ILogger logger, string enclave, int attempts);
}
