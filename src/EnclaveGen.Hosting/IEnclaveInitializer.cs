namespace EnclaveGen.Hosting;

/// <summary>
/// Runs after a hosted enclave starts, before anyone else can call it: at host start and after
/// every restart. Register one per setup step, e.g.
/// <c>services.AddSingleton&lt;IEnclaveInitializer&lt;Vault.Proxy&gt;, VaultUnsealer&gt;()</c>, to hand
/// a restarted enclave its sealed state again. A failure fails the start (or that restart attempt).
/// </summary>
/// <typeparam name="TProxy">The generated proxy of the enclave.</typeparam>
public interface IEnclaveInitializer<TProxy>
    where TProxy : class, IEnclaveProxy<TProxy>
{
    /// <summary>Prepares the enclave that was just started.</summary>
    ValueTask InitializeAsync(TProxy enclave, CancellationToken cancellationToken);
}
