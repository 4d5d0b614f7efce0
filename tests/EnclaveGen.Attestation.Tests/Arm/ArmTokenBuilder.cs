using System.Formats.Cbor;
using System.Security.Cryptography;

namespace EnclaveGen.Attestation.Tests.Arm;

/// <summary>Builds signed COSE_Sign1 tokens for the tests that need a token the real vectors do not give (a missing claim, another key).</summary>
internal static class ArmTokenBuilder
{
    public static byte[] Sign(ECDsa key, Action<CborWriter> writeClaims, int algorithm = -35)
    {
        var claims = new CborWriter(CborConformanceMode.Lax);
        writeClaims(claims);
        byte[] payload = claims.Encode();

        var header = new CborWriter();
        header.WriteStartMap(1);
        header.WriteInt32(1);
        header.WriteInt32(algorithm);
        header.WriteEndMap();
        byte[] protectedHeader = header.Encode();

        var toSign = new CborWriter();
        toSign.WriteStartArray(4);
        toSign.WriteTextString("Signature1");
        toSign.WriteByteString(protectedHeader);
        toSign.WriteByteString([]);
        toSign.WriteByteString(payload);
        toSign.WriteEndArray();
        HashAlgorithmName hash = algorithm switch { -7 => HashAlgorithmName.SHA256, -35 => HashAlgorithmName.SHA384, _ => HashAlgorithmName.SHA512 };
        byte[] signature = key.SignData(toSign.Encode(), hash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

        var message = new CborWriter();
        message.WriteTag((CborTag)18);
        message.WriteStartArray(4);
        message.WriteByteString(protectedHeader);
        message.WriteStartMap(0);
        message.WriteEndMap();
        message.WriteByteString(payload);
        message.WriteByteString(signature);
        message.WriteEndArray();
        return message.Encode();
    }

    public static byte[] Collection(byte[] platform, byte[] realm)
    {
        var writer = new CborWriter();
        writer.WriteTag((CborTag)399);
        writer.WriteStartMap(2);
        writer.WriteInt32(44234);
        writer.WriteByteString(platform);
        writer.WriteInt32(44241);
        writer.WriteByteString(realm);
        writer.WriteEndMap();
        return writer.Encode();
    }

    /// <summary>The two tokens inside a CCA collection, as bytes.</summary>
    public static (byte[] Platform, byte[] Realm) Split(byte[] collection)
    {
        var reader = new CborReader(collection);
        reader.ReadTag();
        reader.ReadStartMap();
        reader.ReadInt32();
        byte[] platform = reader.ReadByteString();
        reader.ReadInt32();
        return (platform, reader.ReadByteString());
    }

    /// <summary>A realm claims set with <paramref name="rak"/> as its attestation key.</summary>
    public static void RealmClaims(CborWriter writer, byte[] rak, byte[] challenge)
    {
        writer.WriteStartMap(7);
        writer.WriteInt32(10); writer.WriteByteString(challenge);
        writer.WriteInt32(44235); writer.WriteByteString(new byte[64]);
        writer.WriteInt32(44238); writer.WriteByteString(new byte[32]);
        writer.WriteInt32(44239);
        writer.WriteStartArray(4);
        for (int i = 0; i < 4; i++)
        {
            writer.WriteByteString(new byte[32]);
        }

        writer.WriteEndArray();
        writer.WriteInt32(44240); writer.WriteTextString("sha-256");
        writer.WriteInt32(44237); writer.WriteByteString(rak);
        writer.WriteInt32(44236); writer.WriteTextString("sha-256");
        writer.WriteEndMap();
    }

    /// <summary>A CCA platform claims set whose challenge is <paramref name="challenge"/>.</summary>
    public static void PlatformClaims(CborWriter writer, byte[] challenge)
    {
        writer.WriteStartMap(8);
        writer.WriteInt32(265); writer.WriteTextString("tag:arm.com,2023:cca_platform#1.0.0");
        writer.WriteInt32(10); writer.WriteByteString(challenge);
        writer.WriteInt32(2396); writer.WriteByteString(new byte[32]);
        writer.WriteInt32(256); writer.WriteByteString([0x01, .. new byte[32]]);
        writer.WriteInt32(2401); writer.WriteByteString([0xcf, 0xcf]);
        writer.WriteInt32(2395); writer.WriteInt32(0x3000);
        writer.WriteInt32(2402); writer.WriteTextString("sha-256");
        writer.WriteInt32(2399);
        writer.WriteStartArray(1);
        writer.WriteStartMap(3);
        writer.WriteInt32(1); writer.WriteTextString("BL");
        writer.WriteInt32(2); writer.WriteByteString(new byte[32]);
        writer.WriteInt32(5); writer.WriteByteString(new byte[32]);
        writer.WriteEndMap();
        writer.WriteEndArray();
        writer.WriteEndMap();
    }

    public static byte[] UncompressedPoint(ECDsa key)
    {
        ECParameters parameters = key.ExportParameters(false);
        return [0x04, .. parameters.Q.X!, .. parameters.Q.Y!];
    }

    public static byte[] CoseKey(ECDsa key)
    {
        ECParameters parameters = key.ExportParameters(false);
        var writer = new CborWriter();
        writer.WriteStartMap(4);
        writer.WriteInt32(1); writer.WriteInt32(2);
        writer.WriteInt32(-1); writer.WriteInt32(2);
        writer.WriteInt32(-2); writer.WriteByteString(parameters.Q.X!);
        writer.WriteInt32(-3); writer.WriteByteString(parameters.Q.Y!);
        writer.WriteEndMap();
        return writer.Encode();
    }
}
