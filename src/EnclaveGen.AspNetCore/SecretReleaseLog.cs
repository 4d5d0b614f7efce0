using EnclaveGen.Attestation.Tls;
using Microsoft.Extensions.Logging;

namespace EnclaveGen.AspNetCore;

/// <summary>What a secret release endpoint logs, under the category <c>EnclaveGen.AspNetCore.SecretRelease</c>. The event IDs are stable (2101-2199).</summary>
internal static partial class SecretReleaseLog
{
    public const string Category = "EnclaveGen.AspNetCore.SecretRelease";

    [LoggerMessage(EventId = 2101, EventName = "SecretReleased", Level = LogLevel.Information,
        Message = "Secret release {Path}: released {Bytes} bytes to the enclave {Mrenclave} at {Client}.")]
    public static partial void SecretReleased(ILogger logger, string path, string client, string mrenclave, int bytes);

    [LoggerMessage(EventId = 2102, EventName = "SecretRefused", Level = LogLevel.Warning,
        Message = "Secret release {Path}: refused the client at {Client} ({Reason}): {Detail}")]
    public static partial void SecretRefused(ILogger logger, string path, string client, AttestedTlsFailure reason, string detail);
}
