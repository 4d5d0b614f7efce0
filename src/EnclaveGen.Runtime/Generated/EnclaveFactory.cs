using System.ComponentModel;
using System.Security.Cryptography;
using EnclaveGen.Runtime.Enclave;
using EnclaveGen.Runtime.Transport;
using EnclaveGen.Runtime.Transport.Isolated;

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
        if (options.Mode == EnclaveMode.Isolated)
        {
            return CreateIsolatedAsync(descriptor, host, createProxy, options, cancellationToken);
        }

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

    // Isolated: the enclave's inside lives in a child process; the boundary key is agreed with it
    // (ECDH) rather than made here, and only the host's half of the boundary is built in this process.
    private static async ValueTask<TProxy> CreateIsolatedAsync<TProxy>(
        EnclaveDescriptor descriptor,
        IUntrustedDispatcher host,
        Func<EnclaveConnection, TProxy> createProxy,
        EnclaveOptions options,
        CancellationToken cancellationToken)
    {
        byte[] boundaryKey = GC.AllocateArray<byte>(BoundaryKeyAgreement.KeyBytes, pinned: true);
        try
        {
            IsolatedTransport transport = await IsolatedTransport.StartAsync(descriptor, options, boundaryKey, cancellationToken).ConfigureAwait(false);
            try
            {
                return createProxy(new EnclaveConnection(descriptor, host, boundaryKey, options, transport.Connect));
            }
            catch
            {
                transport.Dispose();
                throw;
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(boundaryKey);
        }
    }
}
