using System.Security.Cryptography;

namespace EnclaveGen.Attestation.Channel;

/// <summary>P-256 public keys on the channel: SEC1 uncompressed points (65 bytes, 0x04 || x || y).</summary>
internal static class ChannelKeys
{
    public const int PublicKeySize = 65;

    public static byte[] ExportPublic(ECDiffieHellman key)
    {
        ECParameters p = key.ExportParameters(false);
        return [0x04, .. p.Q.X!, .. p.Q.Y!];
    }

    /// <exception cref="AttestedChannelException">The bytes are not an uncompressed P-256 point on the curve.</exception>
    public static ECDiffieHellman ImportPublic(ReadOnlySpan<byte> publicKey)
    {
        if (publicKey.Length != PublicKeySize || publicKey[0] != 0x04)
        {
            throw new AttestedChannelException("channel.publicKey", $"a channel public key is an uncompressed P-256 point of {PublicKeySize} bytes starting with 0x04; got {publicKey.Length} bytes");
        }

        try
        {
            return ECDiffieHellman.Create(new ECParameters
            {
                Curve = ECCurve.NamedCurves.nistP256,
                Q = new ECPoint { X = publicKey[1..33].ToArray(), Y = publicKey[33..].ToArray() },
            });
        }
        catch (CryptographicException)
        {
            throw new AttestedChannelException("channel.publicKey", "the channel public key is not a point on P-256");
        }
    }
}
