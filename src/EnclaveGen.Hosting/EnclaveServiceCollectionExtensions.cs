using EnclaveGen;
using EnclaveGen.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Hosts EnclaveGen enclaves in a <c>Microsoft.Extensions.Hosting</c> app.</summary>
public static class EnclaveServiceCollectionExtensions
{
    /// <summary>
    /// Adds the enclave behind the generated proxy <typeparamref name="TProxy"/> (e.g. <c>Greeter.Proxy</c>):
    /// <typeparamref name="TProxy"/> and its <c>ITrusted</c> interface become injectable singletons;
    /// the host's <c>IUntrusted</c> implementation is taken from the container.
    /// </summary>
    /// <remarks>
    /// <para>The enclave is created when the host starts (before any hosted service starts), and a
    /// load, measurement or signature failure fails the start with the reason. It is disposed after
    /// every hosted service has stopped. The proxy can be resolved at any time (a constructor may take
    /// it); a call made before the host has started the enclave fails with
    /// <see cref="EnclaveUnavailableException"/>.</para>
    /// <para>Options bind from the configuration section <c>Enclaves:&lt;ClassName&gt;</c> (for
    /// <c>Greeter.Proxy</c>, <c>Enclaves:Greeter</c>), then <paramref name="configure"/> runs, so code
    /// has the last word; both are validated when the host starts. Restart settings bind from
    /// <c>Enclaves:&lt;ClassName&gt;:Restart</c>, then <paramref name="restart"/> runs.</para>
    /// </remarks>
    /// <exception cref="InvalidOperationException">This enclave was already added.</exception>
    public static IServiceCollection AddEnclave<TProxy>(
        this IServiceCollection services,
        Action<EnclaveOptions>? configure = null,
        Action<EnclaveRestartOptions>? restart = null)
        where TProxy : class, IEnclaveProxy<TProxy>
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(descriptor => descriptor.ServiceType == typeof(TProxy)))
        {
            throw new InvalidOperationException(
                $"AddEnclave was called twice for enclave {TProxy.EnclaveTypeName}; a host runs one instance of each enclave. Remove the second call.");
        }

        string name = EnclaveConfiguration.OptionsName<TProxy>();
        string section = EnclaveConfiguration.Section<TProxy>();
        services.AddOptions();
        services.AddSingleton<IConfigureOptions<EnclaveOptions>>(provider => new BindEnclaveOptions(name, section, provider.GetService<IConfiguration>(), provider.GetService<ILoggerFactory>()));
        services.AddSingleton<IConfigureOptions<EnclaveRestartOptions>>(provider => new BindRestartOptions(name, section + ":Restart", provider.GetService<IConfiguration>()));
        if (configure is not null)
        {
            services.Configure(name, configure);
        }

        if (restart is not null)
        {
            services.Configure(name, restart);
        }

        ValidateEnclaveOptions validator = new(name, section);
        services.AddSingleton<IValidateOptions<EnclaveOptions>>(validator);
        services.AddSingleton<IValidateOptions<EnclaveRestartOptions>>(validator);
        services.AddOptions<EnclaveOptions>(name).ValidateOnStart();
        services.AddOptions<EnclaveRestartOptions>(name).ValidateOnStart();

        services.AddSingleton(_ => TProxy.CreateUnbound(
            "the host has not started it yet. An enclave added with AddEnclave starts when the host starts: " +
            "call it from a hosted service's ExecuteAsync or a request handler, not before the host runs."));
        services.AddSingleton(TProxy.TrustedInterface, provider => provider.GetRequiredService<TProxy>());
        services.AddHostedService<EnclaveSupervisor<TProxy>>();
        return services;
    }
}
