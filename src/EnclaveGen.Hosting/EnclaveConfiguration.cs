using EnclaveGen.Attestation;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EnclaveGen.Hosting;

/// <summary>Where each hosted enclave's settings come from: the options name and the configuration section.</summary>
internal static class EnclaveConfiguration
{
    /// <summary>The options name of an enclave: its full type name, so two enclaves never share options.</summary>
    public static string OptionsName<TProxy>()
        where TProxy : class, IEnclaveProxy<TProxy> => TProxy.EnclaveTypeName;

    /// <summary>The configuration section of an enclave: <c>Enclaves:&lt;ClassName&gt;</c>.</summary>
    public static string Section<TProxy>()
        where TProxy : class, IEnclaveProxy<TProxy> => "Enclaves:" + TProxy.EnclaveName;
}

/// <summary>
/// Binds an enclave's <see cref="EnclaveOptions"/> from its configuration section, when the app has
/// configuration, and gives the runtime the app's logger factory. A key that is no setting (a typo) or a value that does not parse fails the start
/// with the section and key named.
/// </summary>
internal sealed class BindEnclaveOptions(string name, string section, IConfiguration? configuration, ILoggerFactory? loggers)
    : IConfigureNamedOptions<EnclaveOptions>
{
    public void Configure(string? optionsName, EnclaveOptions options)
    {
        if (optionsName != name)
        {
            return;
        }

        // The runtime logs where the app logs, unless code chose otherwise.
        options.LoggerFactory ??= loggers;
        if (configuration is null)
        {
            return;
        }

        EnclaveSettings settings = new();
        IConfigurationSection values = configuration.GetSection(section);
        ReportingKeys(section, () => values.Bind(settings, binder => binder.ErrorOnUnknownConfiguration = true));
        settings.ApplyTo(options);
    }

    public void Configure(EnclaveOptions options) => Configure(Options.DefaultName, options);

    /// <summary>Runs a bind; a key that is no setting, or a value that does not parse, fails with the section named.</summary>
    internal static void ReportingKeys(string section, Action bind)
    {
        try
        {
            bind();
        }
        catch (InvalidOperationException exception)
        {
            throw new InvalidOperationException($"Configuration section {section}: {ErrorText.Message(exception)}", exception);
        }
    }
}

/// <summary>Binds an enclave's <see cref="EnclaveRestartOptions"/> from <c>Enclaves:&lt;ClassName&gt;:Restart</c>; keys it lacks keep their defaults.</summary>
internal sealed class BindRestartOptions(string name, string section, IConfiguration? configuration)
    : IConfigureNamedOptions<EnclaveRestartOptions>
{
    public void Configure(string? optionsName, EnclaveRestartOptions options)
    {
        if (optionsName == name && configuration is not null)
        {
            IConfigurationSection values = configuration.GetSection(section);
            BindEnclaveOptions.ReportingKeys(section, () => values.Bind(options, binder => binder.ErrorOnUnknownConfiguration = true));
        }
    }

    public void Configure(EnclaveRestartOptions options) => Configure(Options.DefaultName, options);
}

/// <summary>Checks a hosted enclave's options when the host starts; a failure names the section and the setting.</summary>
internal sealed class ValidateEnclaveOptions(string name, string section) : IValidateOptions<EnclaveOptions>, IValidateOptions<EnclaveRestartOptions>
{
    public ValidateOptionsResult Validate(string? optionsName, EnclaveOptions options) =>
        optionsName != name ? ValidateOptionsResult.Skip : Check(section, options.Validate);

    public ValidateOptionsResult Validate(string? optionsName, EnclaveRestartOptions options) =>
        optionsName != name ? ValidateOptionsResult.Skip : Check(section + ":Restart", options.Validate);

    private static ValidateOptionsResult Check(string section, Action validate)
    {
        try
        {
            validate();
            return ValidateOptionsResult.Success;
        }
        catch (ArgumentOutOfRangeException exception)
        {
            return ValidateOptionsResult.Fail($"{section}: {ErrorText.Message(exception)}");
        }
    }
}
