using EnclaveGen.Runtime.Generated;
using EnclaveGen.Runtime.Wire;

namespace EnclaveGen.Runtime.ProtectedFiles;

/// <summary>
/// The host's storage as trusted code reaches it: each call is one of the runtime's storage
/// OCALLs (<see cref="ProtectedFileOcalls"/>) on the running ECALL's thread slot, so it is
/// sealed, replay-checked and copied in and out like every crossing. The file's bytes themselves
/// travel as the messages' pass-through part, not encrypted again: they are the format's AES-GCM
/// blocks, tree nodes, sealed header and journal, which the host stores and hands back anyway and
/// which the file authenticates end to end where they arrive, in the enclave's copy of the answer
/// (docs/protected-files.md, "Reading").
/// Large transfers are split to fit the boundary's message limit; an answer longer than what was
/// asked is refused.
/// </summary>
internal sealed class BoundaryFileStorage(int maxMessageBytes) : IProtectedFileStorage
{
    private readonly int _maxTransfer = ProtectedFileOcalls.MaxTransferBytes(maxMessageBytes);

    public long GetLength(string name, ProtectedFilePart part)
    {
        OcallScope scope = Begin(ProtectedFileOcalls.GetLength, name, part);
        try
        {
            WireReader results = scope.Invoke();
            long length = results.ReadInt64();
            results.EnsureEnd();
            return length;
        }
        finally
        {
            scope.Dispose();
        }
    }

    public int Read(string name, ProtectedFilePart part, long offset, Span<byte> destination)
    {
        int done = 0;
        while (done < destination.Length)
        {
            int count = Math.Min(_maxTransfer, destination.Length - done);
            ReadOnlySpan<byte> bytes = ReadAnswer(name, part, offset + done, count, out OcallScope scope);
            try
            {
                bytes.CopyTo(destination[done..]);
            }
            finally
            {
                scope.Dispose();
            }

            done += bytes.Length;
            if (bytes.Length < count)
            {
                break;
            }
        }

        return done;
    }

    /// <summary>The most bytes one <see cref="ReadAnswer"/> hands out.</summary>
    public int MaxTransfer => _maxTransfer;

    /// <summary>
    /// One read OCALL of up to <see cref="MaxTransfer"/> bytes whose answer is handed out where it
    /// is, in the enclave's copy of the message, without copying it out: the caller authenticates
    /// the bytes from there (they do not change until the slot's next crossing) and disposes
    /// <paramref name="scope"/> before its next storage call. On an exception the scope is already
    /// disposed.
    /// </summary>
    public ReadOnlySpan<byte> ReadAnswer(string name, ProtectedFilePart part, long offset, int count, out OcallScope scope)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _maxTransfer);
        scope = Begin(ProtectedFileOcalls.Read, name, part);
        bool handedOut = false;
        try
        {
            scope.Arguments.WriteInt64(offset);
            scope.Arguments.WriteInt32(count);
            WireReader results = scope.Invoke();
            ReadOnlySpan<byte> bytes = results.ReadPassThrough();
            results.EnsureEnd();
            if (bytes.Length > count)
            {
                throw new IOException($"The host answered a read of {count} bytes with {bytes.Length}.");
            }

            handedOut = true;
            return bytes;
        }
        finally
        {
            if (!handedOut)
            {
                scope.Dispose();
            }
        }
    }

    public void Write(string name, ProtectedFilePart part, long offset, ReadOnlySpan<byte> source)
    {
        for (int done = 0; done < source.Length;)
        {
            int count = Math.Min(_maxTransfer, source.Length - done);
            OcallScope scope = Begin(ProtectedFileOcalls.Write, name, part);
            try
            {
                scope.Arguments.WriteInt64(offset + done);
                scope.Arguments.WritePassThrough(source.Slice(done, count));
                scope.Invoke().EnsureEnd();
            }
            finally
            {
                scope.Dispose();
            }

            done += count;
        }
    }

    public void SetLength(string name, ProtectedFilePart part, long length) => Call(ProtectedFileOcalls.SetLength, name, part, length);

    public void Flush(string name, ProtectedFilePart part) => Call(ProtectedFileOcalls.Flush, name, part, null);

    public void Delete(string name, ProtectedFilePart part) => Call(ProtectedFileOcalls.Delete, name, part, null);

    public void Close(string name)
    {
        OcallScope scope = EnclaveCall.BeginOcall(ProtectedFileOcalls.Close, ProtectedFileOcalls.DisplayName(ProtectedFileOcalls.Close));
        try
        {
            scope.Arguments.WriteString(name);
            scope.Invoke().EnsureEnd();
        }
        finally
        {
            scope.Dispose();
        }
    }

    private static void Call(uint methodId, string name, ProtectedFilePart part, long? value)
    {
        OcallScope scope = Begin(methodId, name, part);
        try
        {
            if (value is { } number)
            {
                scope.Arguments.WriteInt64(number);
            }

            scope.Invoke().EnsureEnd();
        }
        finally
        {
            scope.Dispose();
        }
    }

    private static OcallScope Begin(uint methodId, string name, ProtectedFilePart part)
    {
        OcallScope scope = EnclaveCall.BeginOcall(methodId, ProtectedFileOcalls.DisplayName(methodId));
        scope.Arguments.WriteString(name);
        scope.Arguments.WriteByte((byte)part);
        return scope;
    }
}
