using EnclaveGen.Runtime.Generated;

namespace EnclaveGen;

/// <summary>
/// A session with one trusted application (TEEC_Session): one loaded enclave, whose commands are
/// its ECALLs. Closing the session halts the enclave and erases its keys, as disposing its proxy does.
/// </summary>
public sealed class TeeSession : IAsyncDisposable
{
    private readonly ITeeCommandTable _commands;
    private readonly TeeContext _context;
    private int _closed;

    internal TeeSession(Guid uuid, string enclaveTypeName, ITeeCommandTable commands, TeeContext context)
    {
        Uuid = uuid;
        EnclaveTypeName = enclaveTypeName;
        _commands = commands;
        _context = context;
    }

    /// <summary>The trusted application's UUID.</summary>
    public Guid Uuid { get; }

    /// <summary>The enclave class behind it.</summary>
    public string EnclaveTypeName { get; }

    /// <summary>The enclave's identity (MRENCLAVE, MRSIGNER, product ID, SVN, DEBUG), as verified when the session opened.</summary>
    public EnclaveIdentity Identity => _commands.Identity;

    /// <summary>
    /// Invokes command <paramref name="commandId"/> (TEEC_InvokeCommand) with <paramref name="operation"/>'s
    /// parameters; outputs are written back into the operation.
    /// </summary>
    /// <exception cref="TeeException">The session is closed, the command unknown, the parameters do not fit, or the call failed; <see cref="TeeException.Result"/> and <see cref="TeeException.Origin"/> say which, the inner exception says more.</exception>
    public async ValueTask InvokeCommandAsync(uint commandId, TeeOperation operation, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(operation);
        if (Volatile.Read(ref _closed) != 0)
        {
            throw new TeeException(TeeResult.BadState, TeeReturnOrigin.Api, $"The session with trusted application {Uuid} is closed: open a new one.");
        }

        try
        {
            await _commands.InvokeAsync(commandId, operation, cancellationToken).ConfigureAwait(false);
        }
        catch (EnclaveException failure) when (failure is not TeeException)
        {
            (TeeResult result, TeeReturnOrigin origin) = Classify(failure);
            throw new TeeException(result, origin, $"Command 0x{commandId:x8} of trusted application {Uuid} failed ({result}): {failure.Message}", failure);
        }
    }

    /// <summary>Invokes a command, blocking (TEEC_InvokeCommand is synchronous); see <see cref="InvokeCommandAsync"/>.</summary>
    public void InvokeCommand(uint commandId, TeeOperation operation)
    {
        ValueTask call = InvokeCommandAsync(commandId, operation);
        if (call.IsCompletedSuccessfully)
        {
            return;
        }

        call.AsTask().GetAwaiter().GetResult();
    }

    /// <summary>Closes the session (TEEC_CloseSession): waits for running commands, then halts the enclave.</summary>
    public void Close() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>Closes the session; see <see cref="Close"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            return;
        }

        _context.Forget(this);
        await _commands.DisposeAsync().ConfigureAwait(false);
    }

    private static (TeeResult, TeeReturnOrigin) Classify(EnclaveException failure) => failure switch
    {
        TrustedCodeException => (TeeResult.Generic, TeeReturnOrigin.TrustedApplication),
        EnclaveCallDeniedException => (TeeResult.AccessDenied, TeeReturnOrigin.Tee),
        EnclaveBusyException => (TeeResult.Busy, TeeReturnOrigin.Tee),
        EnclaveIntegrityException => (TeeResult.Security, TeeReturnOrigin.Tee),
        EnclaveMarshallingException => (TeeResult.BadFormat, TeeReturnOrigin.Tee),
        EnclaveLostException => (TeeResult.Communication, TeeReturnOrigin.Communications),
        EnclaveHaltedException or EnclaveUnavailableException => (TeeResult.TargetDead, TeeReturnOrigin.Tee),
        _ => (TeeResult.Generic, TeeReturnOrigin.Tee),
    };
}
