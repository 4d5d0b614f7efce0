using System.Formats.Cbor;
using System.Security.Cryptography;

namespace EnclaveGen.Attestation.Arm;

/// <summary>
/// The RAK as a CCA realm token carries it: an uncompressed P-384 point (0x04‖X‖Y, 97 bytes;
/// TF-RMM and the early profile) or a COSE_Key (RFC 9053 EC2: kty 2, crv 2 for P-384, x, y).
/// </summary>
internal static class RealmAttestationKey
{
    public static ECDsa Import(ReadOnlyMemory<byte> encoded, string structure)
    {
        (byte[] x, byte[] y) = encoded.Length == 97 && encoded.Span[0] == 0x04
            ? (encoded.Span[1..49].ToArray(), encoded.Span[49..].ToArray())
            : FromCoseKey(encoded, structure);
        try
        {
            return ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP384, Q = new ECPoint { X = x, Y = y } });
        }
        catch (CryptographicException e)
        {
            throw new EvidenceFormatException(structure, "public key", -1, $"the realm attestation key is not a point on P-384: {ErrorText.Message(e)}");
        }
    }

    private static (byte[] X, byte[] Y) FromCoseKey(ReadOnlyMemory<byte> encoded, string structure) => ArmCbor.Parse(structure, "public key", () =>
    {
        long? kty = null, crv = null;
        byte[]? x = null, y = null;
        var reader = new CborReader(encoded, CborConformanceMode.Lax);
        int? count = reader.ReadStartMap();
        for (int i = 0; count is null ? reader.PeekState() != CborReaderState.EndMap : i < count; i++)
        {
            switch (ArmCbor.ReadIntegerLabel(reader))
            {
                case 1: kty = reader.ReadInt64(); break;
                case -1: crv = reader.ReadInt64(); break;
                case -2: x = reader.ReadByteString(); break;
                case -3: y = reader.ReadByteString(); break;
                default: reader.SkipValue(); break;
            }
        }

        reader.ReadEndMap();
        return kty == 2 && crv == 2 && x is { Length: 48 } && y is { Length: 48 }
            ? (x, y)
            : throw new EvidenceFormatException(structure, "public key", -1, "the realm attestation key is neither a 97-byte uncompressed P-384 point nor a COSE_Key of kty 2 (EC2), crv 2 (P-384) with 48-byte x and y");
    });
}
