using System.Collections.Concurrent;
using EnclaveGen.Runtime.Identity;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EnclaveGen.Runtime.Telemetry;

/// <summary>
/// The runtime's log events, under <see cref="EnclaveDiagnostics.LoggerCategory"/>. The event IDs
/// (1001-1099) are stable: filter and alert on them. Without a logger the runtime writes one short
/// line to standard error for a DEBUG or unsigned enclave, once per enclave per process, and
/// nothing else.
/// </summary>
internal static partial class RuntimeLog
{
    // Enclaves whose DEBUG warning this process has given: once per enclave, however often it is created.
    private static readonly ConcurrentDictionary<string, bool> s_warned = new(StringComparer.Ordinal);

    public static ILogger For(EnclaveOptions options) =>
        options.LoggerFactory?.CreateLogger(EnclaveDiagnostics.LoggerCategory) ?? NullLogger.Instance;

    /// <summary>A DEBUG or unsigned enclave says so once per process: to the logger, or in one line on standard error.</summary>
    public static void WarnIfDebug(EnclaveIdentity identity, EnclaveOptions options, ILogger logger) =>
        WarnIfDebug(identity, options, logger, Console.Error);

    /// <summary>As above, with the writer that stands in for standard error (tests).</summary>
    internal static void WarnIfDebug(EnclaveIdentity identity, EnclaveOptions options, TextWriter standardError) =>
        WarnIfDebug(identity, options, For(options), standardError);

    private static void WarnIfDebug(EnclaveIdentity identity, EnclaveOptions options, ILogger logger, TextWriter standardError)
    {
        if ((!identity.IsDebug && identity.IsSigned) || !s_warned.TryAdd(identity.EnclaveTypeName, true))
        {
            return;
        }

        string what = identity.IsSigned ? "a DEBUG" : "an UNSIGNED";
        if (options.LoggerFactory is null)
        {
            standardError.WriteLine($"EnclaveGen: {identity.EnclaveTypeName} is {what} enclave: not for production secrets.");
        }
        else
        {
            DebugEnclave(logger, identity.EnclaveTypeName, what);
        }
    }

    [LoggerMessage(EventId = 1001, EventName = "EnclaveLoaded", Level = LogLevel.Information,
        Message = "Enclave {Enclave} loaded ({Mode}): MRENCLAVE {Mrenclave}, MRSIGNER {Mrsigner}, product {ProductId}, SVN {SecurityVersion}.")]
    public static partial void Loaded(ILogger logger, string enclave, EnclaveMode mode, string mrenclave, string mrsigner, ushort productId, ushort securityVersion);

    [LoggerMessage(EventId = 1002, EventName = "EnclaveMeasured", Level = LogLevel.Debug,
        Message = "Enclave {Enclave}: its image measures to MRENCLAVE {Mrenclave}, as its signature says.")]
    public static partial void Measured(ILogger logger, string enclave, string mrenclave);

    [LoggerMessage(EventId = 1003, EventName = "EnclaveSignatureVerified", Level = LogLevel.Debug,
        Message = "Enclave {Enclave}: signature verified, signer MRSIGNER {Mrsigner}.")]
    public static partial void SignatureVerified(ILogger logger, string enclave, string mrsigner);

    [LoggerMessage(EventId = 1004, EventName = "EnclaveRefused", Level = LogLevel.Error,
        Message = "Enclave {Enclave} refused: {Reason}")]
    public static partial void Refused(ILogger logger, string enclave, string reason);

    [LoggerMessage(EventId = 1005, EventName = "DebugEnclave", Level = LogLevel.Warning,
        Message = "Enclave {Enclave} is {Kind} enclave: not for production secrets.")]
    private static partial void DebugEnclave(ILogger logger, string enclave, string kind);

    [LoggerMessage(EventId = 1010, EventName = "EnclaveHalted", Level = LogLevel.Error,
        Message = "Enclave {Enclave} halted and takes no more calls: {Reason}")]
    public static partial void Halted(ILogger logger, string enclave, string reason);

    [LoggerMessage(EventId = 1011, EventName = "EnclaveLost", Level = LogLevel.Error,
        Message = "{Reason}")]
    public static partial void Lost(ILogger logger, string reason);

    [LoggerMessage(EventId = 1012, EventName = "EnclaveProcessStarted", Level = LogLevel.Debug,
        Message = "Enclave {Enclave}: its process {ProcessId} started ({Hardening}).")]
    public static partial void ProcessStarted(ILogger logger, string enclave, int processId, string hardening);

    [LoggerMessage(EventId = 1013, EventName = "EnclaveProcessExited", Level = LogLevel.Debug,
        Message = "Enclave {Enclave}: its process {Description}.")]
    public static partial void ProcessExited(ILogger logger, string enclave, string description);
}
