using EnclaveGen.Runtime.Wire;

namespace EnclaveGen.Runtime.ProtectedFiles;

/// <summary>
/// The host's end of the runtime's storage OCALLs: decodes each request completely and checks it
/// (a name that stays inside the storage, a known part, offsets and counts in range) before the
/// host's <see cref="IProtectedFileStorage"/> runs, as generated OCALL dispatchers do.
/// </summary>
internal sealed class ProtectedFileStorageHost(IProtectedFileStorage? configured, string enclaveTypeName, int maxMessageBytes) : IDisposable
{
    private readonly int _maxTransfer = ProtectedFileOcalls.MaxTransferBytes(maxMessageBytes);
    private readonly Lock _lock = new();
    private FolderProtectedFileStorage? _default;

    /// <summary>The host's storage: the one in <see cref="EnclaveOptions.FileStorage"/>, else a folder made on first use.</summary>
    private IProtectedFileStorage Storage
    {
        get
        {
            if (configured is not null)
            {
                return configured;
            }

            lock (_lock)
            {
                return _default ??= new FolderProtectedFileStorage(DefaultFolder(enclaveTypeName));
            }
        }
    }

    /// <summary>The default storage's folder for an enclave: <c>&lt;EnclaveGen home&gt;/files/&lt;enclave class&gt;</c>.</summary>
    public static string DefaultFolder(string enclaveTypeName) =>
        Path.Combine(Platform.EnclaveGenHome.Resolve(), "files", enclaveTypeName);

    /// <summary>Closes the default storage's handles (a configured storage belongs to the host).</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            _default?.Dispose();
        }
    }

    public void Dispatch(uint methodId, WireReader arguments, WireWriter results)
    {
        string name = arguments.ReadRequiredString();
        if (!ProtectedFileNames.IsValid(name))
        {
            throw new EnclaveMarshallingException($"A protected file storage OCALL named the file '{name}', which is not a protected file's name.");
        }

        if (methodId == ProtectedFileOcalls.Close)
        {
            arguments.EnsureEnd();
            Storage.Close(name);
            return;
        }

        ProtectedFilePart part = arguments.ReadByte() switch
        {
            (byte)ProtectedFilePart.Data => ProtectedFilePart.Data,
            (byte)ProtectedFilePart.Journal => ProtectedFilePart.Journal,
            byte other => throw new EnclaveMarshallingException($"A protected file storage OCALL named part {other}; the parts are 1 (data) and 2 (journal)."),
        };

        if (methodId == ProtectedFileOcalls.GetLength)
        {
            arguments.EnsureEnd();
            results.WriteInt64(Storage.GetLength(name, part));
        }
        else if (methodId == ProtectedFileOcalls.Read)
        {
            long offset = ReadOffset(arguments);
            int count = arguments.ReadInt32();
            arguments.EnsureEnd();
            if (count < 0 || count > _maxTransfer)
            {
                throw new EnclaveMarshallingException($"A protected file read asked for {count} bytes; one OCALL moves 0 to {_maxTransfer}.");
            }

            // Read straight into the answer: the bytes go back as its pass-through part.
            int read = Storage.Read(name, part, offset, results.BeginPassThrough(count));
            results.EndPassThrough(Math.Clamp(read, 0, count));
        }
        else if (methodId == ProtectedFileOcalls.Write)
        {
            long offset = ReadOffset(arguments);
            ReadOnlySpan<byte> data = arguments.ReadPassThrough();
            arguments.EnsureEnd();
            Storage.Write(name, part, offset, data);
        }
        else if (methodId == ProtectedFileOcalls.SetLength)
        {
            long length = ReadOffset(arguments);
            arguments.EnsureEnd();
            Storage.SetLength(name, part, length);
        }
        else if (methodId == ProtectedFileOcalls.Flush)
        {
            arguments.EnsureEnd();
            Storage.Flush(name, part);
        }
        else if (methodId == ProtectedFileOcalls.Delete)
        {
            arguments.EnsureEnd();
            Storage.Delete(name, part);
        }
        else
        {
            throw new EnclaveMarshallingException($"OCALL 0x{methodId:x8} is not a protected file storage OCALL.");
        }
    }

    private static long ReadOffset(WireReader arguments)
    {
        long offset = arguments.ReadInt64();
        return offset is < 0 or > CheckedStorage.MaxPartLength
            ? throw new EnclaveMarshallingException($"A protected file storage OCALL gave the offset or length {offset}; it is 0 to {CheckedStorage.MaxPartLength}.")
            : offset;
    }
}
