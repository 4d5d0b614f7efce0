using EnclaveGen;
using EnclaveGen.Hosting;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Health checks for hosted EnclaveGen enclaves.</summary>
public static class EnclaveHealthChecksBuilderExtensions
{
    /// <summary>
    /// Adds a health check that is healthy while the enclave behind <typeparamref name="TProxy"/> takes
    /// calls, and reports <paramref name="failureStatus"/> (default Unhealthy) with the reason when it
    /// is not started, halted, lost or restarting.
    /// </summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="name">The check's name; default <c>enclave-&lt;ClassName&gt;</c>.</param>
    /// <param name="failureStatus">What a failure reports; default <see cref="HealthStatus.Unhealthy"/>.</param>
    /// <param name="tags">Tags to filter checks by.</param>
    public static IHealthChecksBuilder AddEnclaveHealthCheck<TProxy>(
        this IHealthChecksBuilder builder,
        string? name = null,
        HealthStatus? failureStatus = null,
        IEnumerable<string>? tags = null)
        where TProxy : class, IEnclaveProxy<TProxy>
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Add(new HealthCheckRegistration(
            name ?? "enclave-" + TProxy.EnclaveName,
            provider => new EnclaveHealthCheck<TProxy>(provider.GetRequiredService<TProxy>()),
            failureStatus,
            tags));
    }
}
