using System.ComponentModel;
using System.Security.Cryptography;
using EnclaveGen.Runtime.Enclave;
using EnclaveGen.Runtime.Identity;
using EnclaveGen.Runtime.Loading;
using EnclaveGen.Runtime.Transport;
using EnclaveGen.Runtime.Transport.Isolated;
using EnclaveGen.Runtime.Telemetry;
using EnclaveGen.Runtime.Wire;
using Microsoft.Extensions.Logging;

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
        ILogger logger = RuntimeLog.For(options);
        string imagePath = EnclaveImageLocator.Locate(descriptor.Image);
        if (options.Mode == EnclaveMode.Isolated)
        {
            // The enclave process reads, verifies and loads the image itself; the host verifies it
            // too, for the identity it reports and to fail early with the same message.
            EnclaveIdentity verified = Refusing(logger, descriptor, () => EnclaveImageVerifier.Verify(imagePath, descriptor.EnclaveTypeName, allowUnsigned: platform.AllowsUnsignedImages));
            Announce(verified, options, logger);
            return CreateIsolatedAsync(descriptor, verified, platform, host, createProxy, options, cancellationToken);
        }

        // In-process, this library is already loaded: the host's copy, host code like any library
        // the app references. What runs inside is a copy of its own, loaded from the bytes the
        // measurement hashed (with its dependencies) into the enclave's load context, after the
        // signature check (docs/runtime.md).
        LoadedEnclave loaded = Refusing(logger, descriptor, () => VerifiedImage.Read(imagePath, descriptor.EnclaveTypeName, platform.AllowsUnsignedImages).Load(collectible: true));
        EnclaveIdentity identity = loaded.Identity;
        if (loaded.Descriptor.MaxThreads != descriptor.MaxThreads)
        {
            loaded.Context.Unload();
            EnclaveImageException changed = new(
                $"Enclave '{descriptor.EnclaveTypeName}': the library on disk has {loaded.Descriptor.MaxThreads} thread slots, the copy this app loaded {descriptor.MaxThreads}. " +
                $"'{imagePath}' changed after the app started: restart the app.");
            RuntimeLog.Refused(logger, descriptor.EnclaveTypeName, changed.Message);
            throw changed;
        }

        Announce(identity, options, logger);

        // The boundary key exists only for the life of this enclave. In-process the host could
        // read it; isolated mode agrees it with the child process instead.
        Span<byte> boundaryKey = stackalloc byte[32];
        RandomNumberGenerator.Fill(boundaryKey);
        EnclaveInstance? enclave = null;
        try
        {
            // In-process, arrays passed without copying ([UnsafeUserCheck]) go through this table.
            SharedReferences.Table shared = new(descriptor.MaxThreads, options.MaxNestingDepth);
            enclave = new EnclaveInstance(loaded.Descriptor, identity, platform, boundaryKey, options, shared, loaded.Context);
            EnclaveInstance inside = enclave;
            EnclaveConnection connection = new(
                descriptor,
                identity,
                host,
                boundaryKey,
                options,
                ocalls => new InProcessTransport(inside, ocalls),
                shared);
            TProxy proxy = createProxy(connection);
            LogLoaded(identity, options);
            return ValueTask.FromResult(proxy);
        }
        catch
        {
            if (enclave is not null)
            {
                enclave.Dispose();
            }
            else
            {
                loaded.Context.Unload();
            }

            throw;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(boundaryKey);
        }
    }

    // A measurement or signature check that refuses the image is logged before it reaches the caller.
    private static T Refusing<T>(ILogger logger, EnclaveDescriptor descriptor, Func<T> check)
    {
        try
        {
            return check();
        }
        catch (EnclaveException refused) when (refused is EnclaveSignatureException or EnclaveImageException)
        {
            RuntimeLog.Refused(logger, descriptor.EnclaveTypeName, refused.Message);
            throw;
        }
    }

    /// <summary>Logs the checks that passed, the identity, and (once per process) that the enclave is DEBUG or unsigned.</summary>
    private static void Announce(EnclaveIdentity identity, EnclaveOptions options, ILogger logger)
    {
        string mrenclave = identity.Mrenclave.ToString();
        RuntimeLog.Measured(logger, identity.EnclaveTypeName, mrenclave);
        if (identity.IsSigned)
        {
            RuntimeLog.SignatureVerified(logger, identity.EnclaveTypeName, identity.Mrsigner.ToString());
        }

        RuntimeLog.WarnIfDebug(identity, options, logger);
    }

    private static void LogLoaded(EnclaveIdentity identity, EnclaveOptions options) =>
        RuntimeLog.Loaded(RuntimeLog.For(options), identity.EnclaveTypeName, options.Mode, identity.Mrenclave.ToString(), identity.Mrsigner.ToString(), identity.ProductId, identity.SecurityVersion);

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
                TProxy proxy = createProxy(new EnclaveConnection(descriptor, identity, host, boundaryKey, options, transport.Connect));
                LogLoaded(identity, options);
                return proxy;
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
