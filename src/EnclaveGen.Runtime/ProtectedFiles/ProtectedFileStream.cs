namespace EnclaveGen.Runtime.ProtectedFiles;

/// <summary>
/// A protected file opened by trusted code (<see cref="EnclaveFiles.Open(string, FileMode, SealingPolicy, ProtectedFileOptions?)"/>):
/// read, write, seek and set its length as with any <see cref="Stream"/>; the bytes live encrypted
/// and authenticated in the host's storage. <see cref="Flush"/> commits the changes so far
/// atomically; disposing commits what is left. Every failure is a <see cref="ProtectedFileException"/>.
/// </summary>
/// <remarks>
/// Like <see cref="FileStream"/>, one stream is not meant for several threads at once (its
/// position is shared); open one stream per reader instead. Use it inside an ECALL: its reads and
/// writes leave through the running ECALL's thread slot.
/// </remarks>
public sealed class ProtectedFileStream : Stream
{
    private readonly ProtectedFile _file;
    private readonly bool _canRead;
    private readonly Action _onClose;
    private long _position;
    private bool _closed;

    internal ProtectedFileStream(ProtectedFile file, FileAccess access, bool append, Action onClose)
    {
        _file = file;
        _canRead = access.HasFlag(FileAccess.Read);
        _onClose = onClose;
        _position = append ? file.Length : 0;
    }

    /// <summary>The file's name.</summary>
    public string Name => _file.Name;

    /// <summary>True when the file is bound to a monotonic counter, so an older version is refused as rolled back.</summary>
    public bool IsRollbackProtected => _file.IsCounterBound;

    /// <summary>Decrypted nodes held now, and the most the cache holds.</summary>
    internal (int Count, int Capacity) CacheUse => _file.CacheUse;

    /// <summary>The open file behind the stream (tests use it from several threads).</summary>
    internal ProtectedFile File => _file;

    /// <inheritdoc/>
    public override bool CanRead => !_closed && _canRead;

    /// <inheritdoc/>
    public override bool CanWrite => !_closed && _file.CanWrite;

    /// <inheritdoc/>
    public override bool CanSeek => !_closed;

    /// <inheritdoc/>
    public override long Length
    {
        get
        {
            ThrowIfClosed();
            return _file.Length;
        }
    }

    /// <inheritdoc/>
    public override long Position
    {
        get
        {
            ThrowIfClosed();
            return _position;
        }

        set
        {
            ThrowIfClosed();
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            _position = value;
        }
    }

    /// <inheritdoc/>
    public override int Read(byte[] buffer, int offset, int count)
    {
        ValidateBufferArguments(buffer, offset, count);
        return Read(buffer.AsSpan(offset, count));
    }

    /// <inheritdoc/>
    public override int Read(Span<byte> buffer)
    {
        ThrowIfClosed();
        if (!_canRead)
        {
            throw new NotSupportedException($"Protected file '{Name}' was opened for writing only.");
        }

        int read = _file.Read(_position, buffer);
        _position += read;
        return read;
    }

    /// <inheritdoc/>
    public override void Write(byte[] buffer, int offset, int count)
    {
        ValidateBufferArguments(buffer, offset, count);
        Write(buffer.AsSpan(offset, count));
    }

    /// <inheritdoc/>
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        ThrowIfClosed();
        _file.Write(_position, buffer);
        _position += buffer.Length;
    }

    /// <inheritdoc/>
    public override long Seek(long offset, SeekOrigin origin)
    {
        ThrowIfClosed();
        long target = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            SeekOrigin.End => _file.Length + offset,
            _ => throw new ArgumentOutOfRangeException(nameof(origin), origin, "Not a SeekOrigin."),
        };
        if (target < 0)
        {
            throw new IOException($"Cannot seek protected file '{Name}' to {target}, before its start.");
        }

        _position = target;
        return _position;
    }

    /// <inheritdoc/>
    public override void SetLength(long value)
    {
        ThrowIfClosed();
        _file.SetLength(value);
    }

    /// <summary>Commits every change so far: when it returns they are durable, and a crash keeps them.</summary>
    public override void Flush()
    {
        ThrowIfClosed();
        _file.Flush();
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing && !_closed)
        {
            _closed = true;
            try
            {
                _file.Dispose();
            }
            finally
            {
                _onClose();
            }
        }

        base.Dispose(disposing);
    }

    private void ThrowIfClosed() => ObjectDisposedException.ThrowIf(_closed, this);
}
