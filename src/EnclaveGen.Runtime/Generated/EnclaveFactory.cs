using System.ComponentModel;
using System.Security.Cryptography;
using EnclaveGen.Runtime.Enclave;
using EnclaveGen.Runtime.Identity;
using EnclaveGen.Runtime.Transport;
using EnclaveGen.Runtime.Transport.Isolated;
using EnclaveGen.Runtime.Wire;

namespace EnclaveGen.Runtime.Generated;

/// <summary>Loads an enclave and connects a host to it; called by the generated <c>CreateEnclaveAsync</c>.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class EnclaveFactory
{
    /// <summary>
    /// Loads an enclave as hardware would: re-measures its image and checks the signature (a
    /// changed image is refused), then creates its inside (its instance, slots and boundary key),
    /// connects the host's OCALL dispatcher, and wraps the connection in the generated proxy.
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
        options = options?.Snapshot() ?? EnclaveOptions.Default;
        options.Validate();
        EnclavePlatform platform = options.Platform ?? EnclavePlatform.Default;
        EnclaveIdentity identity = EnclaveImageVerifier.Verify(
            EnclaveImageLocator.Locate(descriptor.Image),
            descriptor.EnclaveTypeName,
            allowUnsigned: platform.AllowsUnsignedImages);
        Announce(identity, options.Log ?? Console.Error);
        if (options.Mode == EnclaveMode.Isolated)
        {
            return CreateIsolatedAsync(descriptor, identity, platform, host, createProxy, options, cancellationToken);
        }

        // The boundary key exists only for the life of this enclave. In-process the host could
        // read it; isolated mode agrees it with the child process instead.
        Span<byte> boundaryKey = stackalloc byte[32];
        RandomNumberGenerator.Fill(boundaryKey);
        try
        {
            // In-process, arrays passed without copying ([UnsafeUserCheck]) go through this table.
            SharedReferences.Table shared = new(descriptor.MaxThreads, options.MaxNestingDepth);
            EnclaveInstance enclave = new(descriptor, identity, platform, boundaryKey, options, shared);
            EnclaveConnection connection = new(
                descriptor,
                identity,
                host,
                boundaryKey,
                options,
                ocalls => new InProcessTransport(enclave, ocalls),
                shared);
            return ValueTask.FromResult(createProxy(connection));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(boundaryKey);
        }
    }

    /// <summary>A debug or unsigned enclave says so, loudly, every time it is created.</summary>
    private static void Announce(EnclaveIdentity identity, TextWriter log)
    {
        if (identity.IsDebug || !identity.IsSigned)
        {
            string what = !identity.IsSigned ? "UNSIGNED" : "DEBUG";
            log.WriteLine(
                $"EnclaveGen WARNING: enclave '{identity.EnclaveTypeName}' is a {what} enclave ({identity}). " +
                "Exception messages cross its boundary and anyone with the debug key can produce it: do not give it production secrets. " +
                "Build with EnclaveDebug=false and EnclaveSigningKey set for production.");
        }
    }

    // Isolated: the enclave's inside lives in a child process; the boundary key is agreed with it
    // (ECDH) rather than made here, and only the host's half of the boundary is built in this process.
    private static async ValueTask<TProxy> CreateIsolatedAsync<TProxy>(
        EnclaveDescriptor descriptor,
        EnclaveIdentity identity,
        EnclavePlatform platform,
        IUntrustedDispatcher host,
        Func<EnclaveConnection, TProxy> createProxy,
        EnclaveOptions options,
        CancellationToken cancellationToken)
    {
        byte[] boundaryKey = GC.AllocateArray<byte>(BoundaryKeyAgreement.KeyBytes, pinned: true);
        try
        {
            IsolatedTransport transport = await IsolatedTransport.StartAsync(descriptor, options, platform, boundaryKey, cancellationToken).ConfigureAwait(false);
            try
            {
                return createProxy(new EnclaveConnection(descriptor, identity, host, boundaryKey, options, transport.Connect));
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
