using EnclaveGen;

namespace PasswordVault.Host;

/// <summary>
/// The insider at the boundary: when armed, it flips one bit of the next sealed ECALL request
/// on its way into the enclave, as a host that controls the memory the message sits in could.
/// </summary>
internal sealed class BitFlipper : BoundaryInterceptor
{
    private volatile bool _armed;

    /// <summary>True once a message was altered.</summary>
    public bool Flipped { get; private set; }

    /// <summary>Alters the next ECALL request.</summary>
    public void Arm() => _armed = true;

    public override byte[]? OnMessage(BoundaryMessage message)
    {
        if (!_armed || message.Direction != BoundaryDirection.HostToEnclave || message.Kind != MessageKind.EcallRequest)
        {
            return null;
        }

        _armed = false;
        Flipped = true;
        byte[] altered = message.Bytes.ToArray();
        altered[altered.Length / 2] ^= 0x01;   // one bit, in the middle of the ciphertext
        return altered;
    }
}
