using EnclaveGen.Attestation;
using EnclaveGen.Runtime.Generated;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace EnclaveGen.Hosting;

/// <summary>
/// Starts a hosted enclave when the host starts, binds it to the proxy the container hands out,
/// restarts it after a halt when the options say so, and disposes it when the host has stopped.
/// </summary>
/// <remarks>
/// It starts the enclave in <see cref="StartingAsync"/>, which the host runs before any hosted
/// service's <c>StartAsync</c>: a background service's <c>ExecuteAsync</c> finds the enclave
/// running. It disposes it in <see cref="StoppedAsync"/>, after every hosted service has stopped,
/// so their last calls still reach it.
/// </remarks>
internal sealed class EnclaveSupervisor<TProxy> : IHostedLifecycleService, IAsyncDisposable
    where TProxy : class, IEnclaveProxy<TProxy>
{
    private readonly TProxy _proxy;
    private readonly IServiceProvider _services;
    private readonly IOptionsMonitor<EnclaveOptions> _options;
    private readonly IOptionsMonitor<EnclaveRestartOptions> _restartOptions;
    private readonly IEnumerable<IEnclaveInitializer<TProxy>> _initializers;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private Task _watching = Task.CompletedTask;

    public EnclaveSupervisor(
        TProxy proxy,
        IServiceProvider services,
        IOptionsMonitor<EnclaveOptions> options,
        IOptionsMonitor<EnclaveRestartOptions> restartOptions,
        IEnumerable<IEnclaveInitializer<TProxy>> initializers,
        ILoggerFactory? loggers = null,
        TimeProvider? time = null)
    {
        _proxy = proxy;
        _services = services;
        _options = options;
        _restartOptions = restartOptions;
        _initializers = initializers;
        _time = time ?? TimeProvider.System;
        _logger = (ILogger?)loggers?.CreateLogger(HostingLog.Category) ?? NullLogger.Instance;
    }

    private static string Name => TProxy.EnclaveTypeName;

    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        // Options are validated here too (ValidateOnStart runs first in a host), so a bad
        // setting fails the start with the section and setting named.
        EnclaveOptions options = _options.Get(EnclaveConfiguration.OptionsName<TProxy>());
        EnclaveRestartOptions restart = _restartOptions.Get(EnclaveConfiguration.OptionsName<TProxy>());
        TProxy started;
        try
        {
            started = await StartEnclaveAsync(options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Logged with the reason, then rethrown: the host's start fails with it.
            HostingLog.StartFailed(_logger, exception, Name, ErrorText.Message(exception));
            throw;
        }

        // Logged before the enclave takes calls, so the log reads in order.
        HostingLog.Started(_logger, Name, options.Mode, started.Identity.Mrenclave.ToString());
        _proxy.Binding.BindFrom(started.Binding);
        if (restart.Enabled)
        {
            _watching = WatchAsync(restart, _stopping.Token);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _watching.ConfigureAwait(false);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StoppedAsync(CancellationToken cancellationToken)
    {
        bool wasBound = _proxy.Binding.IsBound;
        await _proxy.DisposeAsync().ConfigureAwait(false);
        if (wasBound)
        {
            HostingLog.Stopped(_logger, Name);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _watching.ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task<TProxy> StartEnclaveAsync(EnclaveOptions options, CancellationToken cancellationToken)
    {
        TProxy started = await TProxy.CreateEnclaveAsync(_services, options, cancellationToken).ConfigureAwait(false);
        try
        {
            foreach (IEnclaveInitializer<TProxy> initializer in _initializers)
            {
                await initializer.InitializeAsync(started, cancellationToken).ConfigureAwait(false);
            }

            return started;
        }
        catch
        {
            await started.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    // Looks at the enclave's state every CheckInterval; a halted or lost enclave is restarted.
    private async Task WatchAsync(EnclaveRestartOptions restart, CancellationToken stopping)
    {
        using PeriodicTimer timer = new(restart.CheckInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping).ConfigureAwait(false))
            {
                EnclaveStatus status = _proxy.Status;
                if (status.State is EnclaveState.Halted or EnclaveState.Lost && !await RestartAsync(status, restart, stopping).ConfigureAwait(false))
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // The host is stopping.
        }
    }

    /// <summary>Replaces the dead enclave; false when every allowed attempt failed.</summary>
    private async Task<bool> RestartAsync(EnclaveStatus status, EnclaveRestartOptions restart, CancellationToken stopping)
    {
        string what = status.State == EnclaveState.Lost ? "was lost" : "halted";
        EnclaveConnection? dead = _proxy.Binding.Unbind($"it {what} ({status.Reason}) and is being restarted.", restart.FirstDelay);
        if (dead is not null)
        {
            await dead.DisposeAsync().ConfigureAwait(false);
        }

        string? lastError = null;
        for (int attempt = 1; ; attempt++)
        {
            TimeSpan delay = restart.DelayBefore(attempt);
            string previous = lastError is null ? string.Empty : $" Attempt {attempt - 1} failed: {lastError}.";
            HostingLog.RestartScheduled(_logger, Name, status.State, status.Reason, attempt, delay);
            _proxy.Binding.SetUnavailableReason($"it {what} ({status.Reason}).{previous} Restart attempt {attempt} is due in {delay}.", delay);
            await Task.Delay(delay, _time, stopping).ConfigureAwait(false);
            try
            {
                TProxy started = await StartEnclaveAsync(_options.Get(EnclaveConfiguration.OptionsName<TProxy>()), stopping).ConfigureAwait(false);
                HostingLog.Restarted(_logger, Name, attempt, started.Identity.Mrenclave.ToString());
                _proxy.Binding.BindFrom(started.Binding);
                return true;
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !stopping.IsCancellationRequested)
            {
                // Not hidden: logged, and carried in the proxy's status (health checks) and in the
                // error every call gets, then tried again after a longer wait.
                lastError = ErrorText.Message(exception);
                HostingLog.RestartFailed(_logger, exception, Name, attempt, ErrorText.Message(exception));
                if (restart.MaxAttempts > 0 && attempt >= restart.MaxAttempts)
                {
                    HostingLog.RestartAbandoned(_logger, Name, attempt);
                    _proxy.Binding.SetUnavailableReason(
                        $"it {what} ({status.Reason}), and {attempt} restart attempts failed (the last: {lastError}). Restart the host to try again.");
                    return false;
                }
            }
        }
    }
}
