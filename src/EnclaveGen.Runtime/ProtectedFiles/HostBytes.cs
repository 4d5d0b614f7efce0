using System.Buffers;
using EnclaveGen.Runtime.Generated;

namespace EnclaveGen.Runtime.ProtectedFiles;

/// <summary>
/// Bytes read from the host's storage (<see cref="CheckedStorage.ReadBytes"/>): a view of the
/// boundary's answer in the enclave's copy of the message, or a pooled buffer the storage read
/// into. Valid until disposed; the storage takes no other call meanwhile. Not authenticated: the
/// file decrypts each node from here against its entry in the tree.
/// </summary>
internal readonly ref struct HostBytes
{
    private readonly OcallScope? _answer;
    private readonly byte[]? _rented;

    public HostBytes(ReadOnlySpan<byte> bytes, OcallScope answer)
    {
        Bytes = bytes;
        _answer = answer;
    }

    public HostBytes(byte[] rented, int length)
    {
        Bytes = rented.AsSpan(0, length);
        _rented = rented;
    }

    public ReadOnlySpan<byte> Bytes { get; }

    public void Dispose()
    {
        _answer?.Dispose();
        if (_rented is not null)
        {
            ArrayPool<byte>.Shared.Return(_rented);
        }
    }
}

/// <summary>
/// Room for bytes on their way to the host's storage (<see cref="CheckedStorage.BeginWrite"/>):
/// through the boundary, the outgoing message's pass-through part, which the file encrypts into
/// directly; otherwise a pooled buffer. <see cref="Send"/> writes them; disposing without it drops them.
/// </summary>
internal readonly ref struct HostWrite
{
    private readonly CheckedStorage _storage;
    private readonly OcallScope? _message;
    private readonly byte[]? _rented;
    private readonly ProtectedFilePart _part;
    private readonly long _offset;

    public HostWrite(CheckedStorage storage, ProtectedFilePart part, long offset, Span<byte> room, OcallScope? message, byte[]? rented)
    {
        _storage = storage;
        _part = part;
        _offset = offset;
        Room = room;
        _message = message;
        _rented = rented;
    }

    public Span<byte> Room { get; }

    public void Send()
    {
        if (_message is { } message)
        {
            _storage.EndWrite(message, _part, Room.Length);
        }
        else
        {
            _storage.Write(_part, _offset, Room);
        }
    }

    public void Dispose()
    {
        _message?.Dispose();
        if (_rented is not null)
        {
            ArrayPool<byte>.Shared.Return(_rented);
        }
    }
}
