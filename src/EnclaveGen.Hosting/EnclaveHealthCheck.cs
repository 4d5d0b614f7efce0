using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EnclaveGen.Hosting;

/// <summary>Healthy while the enclave takes calls; otherwise the registration's failure status, with the reason.</summary>
internal sealed class EnclaveHealthCheck<TProxy>(TProxy proxy) : IHealthCheck
    where TProxy : class, IEnclaveProxy<TProxy>
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        EnclaveStatus status = proxy.Status;
        Dictionary<string, object> data = new(StringComparer.Ordinal)
        {
            ["enclave"] = TProxy.EnclaveTypeName,
            ["state"] = status.State.ToString(),
        };
        if (status.IsRunning)
        {
            EnclaveIdentity identity = proxy.Identity;
            data["mrenclave"] = identity.Mrenclave.ToString();
            data["debug"] = identity.IsDebug;
            return Task.FromResult(HealthCheckResult.Healthy($"Enclave {TProxy.EnclaveTypeName} is running.", data));
        }

        data["reason"] = status.Reason ?? string.Empty;
        return Task.FromResult(new HealthCheckResult(
            context.Registration.FailureStatus,
            $"Enclave {TProxy.EnclaveTypeName} is {status.State.ToString().ToLowerInvariant()}: {status.Reason}",
            data: data));
    }
}
