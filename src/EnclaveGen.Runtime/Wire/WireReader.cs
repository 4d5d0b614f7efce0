using System.Buffers;
using System.Buffers.Binary;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using EnclaveGen.Runtime.Boundary;
using EnclaveGen.Runtime.Crypto;

namespace EnclaveGen.Runtime.Wire;

/// <summary>
/// Reads the decrypted payload of one boundary message. Every length and count is checked
/// against the bytes that remain before anything is allocated, so a hostile sender cannot make
/// the reader allocate more than a fixed multiple of the message it sent. Failures throw
/// <see cref="EnclaveMarshallingException"/> and nothing else.
/// </summary>
/// <remarks>
/// A long message is opened in pieces (<see cref="SlotChannel.Open"/>): its tag was checked over
/// the whole ciphertext before the reader gets it, and the reader decrypts as it reads, a value
/// that arrives whole (an array, a string, a buffer coming back) straight into the memory that
/// receives it, and everything else into its own buffer, a little ahead of what it reads.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed partial class WireReader
{
    private readonly int _maxPayloadBytes;
    private readonly int _maxObjectDepth;
    private byte[] _buffer = [];
    private int _position;
    private int _end;
    private int _depth;
    private long _claimed;
    private long _outClaimed;
    private byte[] _scratch = [];
    private int _scratchUsed;

    // The reader's own buffer for decrypted payloads (pooled, grown on demand).
    private byte[] _owned = [];

    // A message opened in pieces: its verified ciphertext, the AEAD and nonce to decrypt it, and
    // how far the buffer holds its plaintext. For a message decrypted whole, _decrypted is _end.
    private ReadOnlyMemory<byte> _ciphertext;
    private ISegmentedAead? _pieces;
    private readonly byte[] _nonce = new byte[BoundaryAead.NonceSize];
    private int _decrypted;

    /// <summary>How far ahead of a small read the reader decrypts a message opened in pieces.</summary>
    private const int ReadAheadBytes = 1024;

    /// <summary>Where arrays passed without copying come from; null outside in-process mode.</summary>
    internal SharedReferences? Shared { get; set; }

    internal WireReader(int maxPayloadBytes = int.MaxValue, int maxObjectDepth = WireLimits.DefaultMaxObjectDepth)
    {
        _maxPayloadBytes = maxPayloadBytes;
        _maxObjectDepth = maxObjectDepth;
    }

    /// <summary>
    /// The token a [Trusted] method's <see cref="System.Threading.CancellationToken"/> parameter
    /// receives: cancelled when the host cancels the call and the enclave next crosses the boundary.
    /// </summary>
    public CancellationToken CancellationToken { get; internal set; }

    /// <summary>True once <see cref="EnsureEnd"/> confirmed that every byte was consumed.</summary>
    internal bool IsComplete { get; private set; }

    /// <summary>Starts reading <paramref name="length"/> bytes of plaintext in <paramref name="buffer"/>.</summary>
    internal void Reset(byte[] buffer, int length)
    {
        _buffer = buffer;
        _position = 0;
        _end = length;
        _decrypted = length;
        _ciphertext = default;
        _pieces = null;
        _depth = 0;
        _claimed = 0;
        _outClaimed = 0;
        _scratchUsed = 0;
        _passThrough = default;
        _hasPassThrough = false;
        IsComplete = false;
    }

    /// <summary>
    /// Starts reading a payload that is still encrypted: <paramref name="ciphertext"/>, whose tag
    /// the channel has verified, decrypted with <paramref name="aead"/> under <paramref name="nonce"/>
    /// as it is read. The ciphertext must not change until the reader reaches the end.
    /// </summary>
    internal void ResetInPieces(ReadOnlyMemory<byte> ciphertext, ISegmentedAead aead, ReadOnlySpan<byte> nonce)
    {
        Reset(PayloadBuffer(ciphertext.Length), ciphertext.Length);
        _decrypted = 0;
        _ciphertext = ciphertext;
        _pieces = aead;
        nonce.CopyTo(_nonce);
    }

    /// <summary>The reader's own buffer, at least <paramref name="length"/> bytes, for a payload decrypted whole.</summary>
    internal byte[] PayloadBuffer(int length)
    {
        if (_owned.Length < length)
        {
            byte[] larger = ArrayPool<byte>.Shared.Rent(Math.Max(length, 256));
            if (_owned.Length > 0)
            {
                ArrayPool<byte>.Shared.Return(_owned, clearArray: true);
            }

            _owned = larger;
        }

        return _owned;
    }

    /// <summary>The rest of the payload, decrypted (tools that record whole payloads).</summary>
    internal ReadOnlySpan<byte> TakeRemaining() => Take(_end - _position);

    /// <summary>
    /// Marks the start of a nested object. Beyond <see cref="EnclaveOptions.MaxObjectDepth"/>
    /// levels the read fails, so a hostile message cannot recurse the reader off its stack.
    /// </summary>
    public void EnterObject()
    {
        if (++_depth > _maxObjectDepth)
        {
            throw Malformed($"objects nest deeper than the {_maxObjectDepth}-level limit (EnclaveOptions.MaxObjectDepth)");
        }

        // MaxObjectDepth may be set up to 10,000, deeper than the caller's thread stack can take
        // the recursive decoders: refuse the message rather than let it overflow the stack.
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            throw Malformed($"objects nest {_depth} levels deep, more than this thread's stack can decode (lower EnclaveOptions.MaxObjectDepth)");
        }
    }

    /// <summary>Marks the end of a nested object.</summary>
    public void ExitObject() => _depth--;

    /// <summary>A dictionary arrived with the same key twice.</summary>
    public EnclaveMarshallingException DuplicateKey() => Malformed("a dictionary holds the same key twice");

    /// <summary>Confirms the message held exactly what the signature declares, with no bytes left over.</summary>
    public void EnsureEnd()
    {
        if (_position != _end)
        {
            throw LeftOver(_end - _position);
        }

        EnsurePassThroughTaken();

        // Everything was read: the sender's ciphertext is not needed (nor referenced) any more.
        _ciphertext = default;
        IsComplete = true;
    }

    /// <summary>Reads a length prefix: -1 (null) or a count whose bytes must all still be in the message.</summary>
    private int ReadLength(int elementSize, string what)
    {
        int length = ReadInt32();
        if (length == MessageFormat.NullLength)
        {
            return length;
        }

        if (length < 0)
        {
            throw Malformed($"a {what} has length {length}");
        }

        if ((long)length * elementSize > _end - _position)
        {
            throw Malformed($"a {what} declares {length} elements of {elementSize} bytes but only {_end - _position} bytes remain");
        }

        // A count nested in an element of another collection is checked against the same
        // remaining bytes as its parent's, so each level of a recursive type could size a
        // collection from the whole rest of the message. Every element's minimum encoding lies in
        // bytes of its own, so in a well-formed message all counts together claim at most the
        // message; holding them to that keeps allocation a fixed multiple of the message at any depth.
        long claimed = _claimed + ((long)length * elementSize);
        if (claimed > _end)
        {
            throw Malformed($"its collections declare {claimed} bytes of elements in all, more than the {_end} bytes it holds");
        }

        _claimed = claimed;
        return length;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ReadOnlySpan<byte> Take(int count)
    {
        if ((uint)count > (uint)(_end - _position))
        {
            throw Malformed($"needed {count} bytes at offset {_position} but only {_end - _position} remain");
        }

        if (_position + count > _decrypted)
        {
            DecryptAhead(_position + count);
        }

        ReadOnlySpan<byte> span = _buffer.AsSpan(_position, count);
        _position += count;
        return span;
    }

    /// <summary>
    /// Takes the next <c>destination.Length</c> bytes into <paramref name="destination"/>: what the
    /// buffer already holds is copied, the rest of a message opened in pieces is decrypted there directly.
    /// </summary>
    private void TakeInto(Span<byte> destination)
    {
        int count = destination.Length;
        if ((uint)count > (uint)(_end - _position))
        {
            throw Malformed($"needed {count} bytes at offset {_position} but only {_end - _position} remain");
        }

        int ready = Math.Clamp(_decrypted - _position, 0, count);
        _buffer.AsSpan(_position, ready).CopyTo(destination);
        if (ready < count)
        {
            // Only a message opened in pieces has bytes the buffer does not hold yet (_decrypted < _end).
            int offset = _position + ready;
            _pieces!.DecryptAt(_nonce, offset, _ciphertext.Span.Slice(offset, count - ready), destination[ready..]);
        }

        _position += count;
    }

    // Decrypts into the buffer from where it is up to at least end, a little further when there is
    // more. Only a message opened in pieces gets here: a whole one has _decrypted at _end.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void DecryptAhead(int end)
    {
        int from = Math.Max(_decrypted, _position);
        int to = Math.Min(_end, Math.Max(end, from + ReadAheadBytes));
        _pieces!.DecryptAt(_nonce, from, _ciphertext.Span[from..to], _buffer.AsSpan(from, to - from));
        _decrypted = to;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static EnclaveMarshallingException Malformed(string detail) =>
        new($"A boundary message is malformed: {detail}.");

    // Built out of line: EnsureEnd runs at the end of every crossing, and the text's formatting kept it from being inlined.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static EnclaveMarshallingException LeftOver(int bytes) => Malformed($"{bytes} bytes are left over after the last value");
}
