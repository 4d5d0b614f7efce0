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
