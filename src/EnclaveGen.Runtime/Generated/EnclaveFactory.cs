using System.ComponentModel;
using System.Security.Cryptography;
using EnclaveGen.Runtime.Enclave;
using EnclaveGen.Runtime.Transport;

namespace EnclaveGen.Runtime.Generated;

/// <summary>Loads an enclave and connects a host to it; called by the generated <c>CreateEnclaveAsync</c>.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class EnclaveFactory
{
    /// <summary>
    /// Creates the enclave's inside (its instance, slots and boundary key), connects the host's
    /// OCALL dispatcher, and wraps the connection in the generated proxy.
    /// </summary>
    public static ValueTask<TProxy> CreateAsync<TProxy>(
        EnclaveDescriptor descriptor,
        IUntrustedDispatcher host,
        Func<EnclaveConnection, TProxy> createProxy,
        EnclaveOptions? options,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(createProxy);
        cancellationToken.ThrowIfCancellationRequested();
        options ??= EnclaveOptions.Default;
        options.Validate();

        // The boundary key exists only for the life of this enclave. In-process the host could
        // read it; isolated mode agrees it with the child process instead.
        Span<byte> boundaryKey = stackalloc byte[32];
        RandomNumberGenerator.Fill(boundaryKey);
        try
        {
            EnclaveInstance enclave = new(descriptor, boundaryKey, options);
            EnclaveConnection connection = new(
                descriptor,
                host,
                boundaryKey,
                options,
                ocalls => new InProcessTransport(enclave, ocalls));
            return ValueTask.FromResult(createProxy(connection));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(boundaryKey);
        }
    }
}
