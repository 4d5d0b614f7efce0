using System.Formats.Cbor;
using System.Security.Cryptography;

namespace EnclaveGen.Attestation.Arm;

/// <summary>
/// A COSE_Sign1 message (RFC 9052 §4.2), tagged (18) or not, as Arm's PSA and CCA tokens carry
/// their claims: protected header, unprotected header, payload, signature. Only ECDSA (ES256,
/// ES384, ES512, RFC 9053 §2.1) is accepted, with the signature as r‖s.
/// </summary>
internal sealed class CoseSign1
{
    private const int Sign1Tag = 18;
    private const int AlgorithmLabel = 1;

    private CoseSign1(byte[] protectedHeader, int algorithm, byte[] payload, byte[] signature)
    {
        ProtectedHeader = protectedHeader;
        Algorithm = algorithm;
        Payload = payload;
        Signature = signature;
    }

    /// <summary>The protected header exactly as encoded (it is part of what is signed).</summary>
    public byte[] ProtectedHeader { get; }

    /// <summary>The COSE algorithm: -7 (ES256), -35 (ES384) or -36 (ES512).</summary>
    public int Algorithm { get; }

    public byte[] Payload { get; }

    public byte[] Signature { get; }

    /// <summary>Reads one COSE_Sign1 that fills <paramref name="encoded"/>.</summary>
    /// <exception cref="EvidenceFormatException">The bytes are not a COSE_Sign1 with an ECDSA algorithm and a payload.</exception>
    public static CoseSign1 Read(ReadOnlyMemory<byte> encoded, string structure)
    {
        return ArmCbor.Parse(structure, "COSE_Sign1", () =>
        {
            var reader = new CborReader(encoded, CborConformanceMode.Lax);
            if (reader.PeekState() == CborReaderState.Tag && reader.ReadTag() != (CborTag)Sign1Tag)
            {
                throw new EvidenceFormatException(structure, "COSE_Sign1", 0, "the CBOR tag is not 18 (COSE_Sign1)");
            }

            if (reader.ReadStartArray() != 4)
            {
                throw new EvidenceFormatException(structure, "COSE_Sign1", 0, "a COSE_Sign1 is an array of 4 items: protected header, unprotected header, payload, signature");
            }

            byte[] protectedHeader = reader.ReadByteString();
            reader.SkipValue();
            if (reader.PeekState() == CborReaderState.Null)
            {
                throw new EvidenceFormatException(structure, "payload", -1, "the payload is detached (null); a token carries its claims inside");
            }

            byte[] payload = reader.ReadByteString();
            byte[] signature = reader.ReadByteString();
            reader.ReadEndArray();
            if (reader.BytesRemaining != 0)
            {
                throw new EvidenceFormatException(structure, "COSE_Sign1", encoded.Length - reader.BytesRemaining, $"{reader.BytesRemaining} bytes follow the message");
            }

            return new CoseSign1(protectedHeader, ReadAlgorithm(protectedHeader, structure), payload, signature);
        });
    }

    /// <summary>Checks the signature with <paramref name="key"/>.</summary>
    /// <exception cref="EvidenceVerificationException">The signature does not verify, or has the wrong size for the key.</exception>
    public void Verify(ECDsa key, string check, string signer)
    {
        HashAlgorithmName hash = Algorithm switch
        {
            -7 => HashAlgorithmName.SHA256,
            -35 => HashAlgorithmName.SHA384,
            _ => HashAlgorithmName.SHA512,
        };
        int fieldBytes = (key.KeySize + 7) / 8;
        if (Signature.Length != 2 * fieldBytes)
        {
            throw new EvidenceVerificationException(check, $"the signature is {Signature.Length} bytes; a {key.KeySize}-bit ECDSA signature (r‖s) is {2 * fieldBytes}: is {signer} the right key?");
        }

        if (!key.VerifyData(SignatureStructure(ProtectedHeader, Payload), Signature, hash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation))
        {
            throw new EvidenceVerificationException(check, $"the signature does not verify with {signer}: the token was changed, or another key signed it");
        }
    }

    /// <summary>
    /// A tagged COSE_Sign1 of <paramref name="payload"/> signed with ES256 by <paramref name="key"/>
    /// (a P-256 key): protected header {1: -7}, empty unprotected header, signature r‖s.
    /// </summary>
    public static byte[] SignEs256(ReadOnlySpan<byte> payload, ECDsa key)
    {
        var header = new CborWriter(CborConformanceMode.Strict);
        header.WriteStartMap(1);
        header.WriteInt32(AlgorithmLabel);
        header.WriteInt32(-7);
        header.WriteEndMap();
        byte[] protectedHeader = header.Encode();
        byte[] signature = key.SignData(SignatureStructure(protectedHeader, payload), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

        var writer = new CborWriter(CborConformanceMode.Strict);
        writer.WriteTag((CborTag)Sign1Tag);
        writer.WriteStartArray(4);
        writer.WriteByteString(protectedHeader);
        writer.WriteStartMap(0);
        writer.WriteEndMap();
        writer.WriteByteString(payload);
        writer.WriteByteString(signature);
        writer.WriteEndArray();
        return writer.Encode();
    }

    /// <summary>Sig_structure (RFC 9052 §4.4): ["Signature1", protected, external_aad (empty), payload].</summary>
    private static byte[] SignatureStructure(ReadOnlySpan<byte> protectedHeader, ReadOnlySpan<byte> payload)
    {
        var writer = new CborWriter(CborConformanceMode.Strict);
        writer.WriteStartArray(4);
        writer.WriteTextString("Signature1");
        writer.WriteByteString(protectedHeader);
        writer.WriteByteString([]);
        writer.WriteByteString(payload);
        writer.WriteEndArray();
        return writer.Encode();
    }

    private static int ReadAlgorithm(byte[] protectedHeader, string structure)
    {
        int? algorithm = null;
        var reader = new CborReader(protectedHeader, CborConformanceMode.Lax);
        int? entries = reader.ReadStartMap();
        for (int i = 0; entries is null ? reader.PeekState() != CborReaderState.EndMap : i < entries; i++)
        {
            if (ArmCbor.ReadIntegerLabel(reader) != AlgorithmLabel)
            {
                reader.SkipValue();
                continue;
            }

            if (algorithm is not null)
            {
                throw new EvidenceFormatException(structure, "protected header", -1, "the algorithm (label 1) appears twice");
            }

            algorithm = reader.PeekState() is CborReaderState.UnsignedInteger or CborReaderState.NegativeInteger
                ? reader.ReadInt32()
                : throw new EvidenceFormatException(structure, "protected header", -1, "the algorithm (label 1) is not an integer");
        }

        return algorithm switch
        {
            -7 or -35 or -36 => algorithm.Value,
            null => throw new EvidenceFormatException(structure, "protected header", -1, "no algorithm (label 1)"),
            _ => throw new EvidenceFormatException(structure, "protected header", -1, $"algorithm {algorithm} is not ES256 (-7), ES384 (-35) or ES512 (-36)"),
        };
    }
}
