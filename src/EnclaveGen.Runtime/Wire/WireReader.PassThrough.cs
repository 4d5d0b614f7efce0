using System.Runtime.CompilerServices;

namespace EnclaveGen.Runtime.Wire;

/// <summary>
/// The pass-through part of a received message (<see cref="WireWriter.WritePassThrough"/>): bytes
/// the boundary carried after the tag without decrypting them, whose position and length it
/// authenticated. Only a reader that asks for it takes it; a message that has one and a reader
/// that does not take it do not end (<see cref="EnsureEnd"/> refuses it), so no generated method
/// can be handed bytes it did not expect.
/// </summary>
public sealed partial class WireReader
{
    private ReadOnlyMemory<byte> _passThrough;
    private bool _hasPassThrough;
    private bool _passThroughTaken;

    /// <summary>Gives the reader the message's pass-through part (none when <paramref name="present"/> is false).</summary>
    internal void SetPassThrough(ReadOnlyMemory<byte> part, bool present)
    {
        _passThrough = part;
        _hasPassThrough = present;
        _passThroughTaken = false;
    }

    /// <summary>
    /// Takes the message's pass-through part, after every sealed value was read. The bytes are the
    /// sender's, not decrypted and not authenticated by the boundary: authenticate them before
    /// trusting them. They lie in the receiver's own copy of the message (isolated mode copies it
    /// out of the shared ring) and stay unchanged until the slot's next crossing, so they may be
    /// authenticated (decrypted) here; anything kept longer is copied first.
    /// </summary>
    internal ReadOnlySpan<byte> ReadPassThrough()
    {
        if (!_hasPassThrough || _passThroughTaken)
        {
            throw Malformed(_passThroughTaken ? "the pass-through part was already read" : "the message has no pass-through part where one was expected");
        }

        if (_position != _end)
        {
            throw Malformed($"{_end - _position} bytes of values are left before the pass-through part");
        }

        _passThroughTaken = true;
        return _passThrough.Span;
    }

    private void EnsurePassThroughTaken()
    {
        if (_hasPassThrough)
        {
            if (!_passThroughTaken)
            {
                throw PassThroughNotTaken(_passThrough.Length);
            }

            _passThrough = default;
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static EnclaveMarshallingException PassThroughNotTaken(int length) =>
        Malformed($"the message carries a {length}-byte pass-through part that this call does not take");
}
