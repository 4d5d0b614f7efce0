using System.Formats.Cbor;
using System.Security.Cryptography;

namespace EnclaveGen.Attestation.Tls;

/// <summary>
/// The value of an RA-TLS certificate's evidence extension (<see cref="RaTlsFormat.EvidenceExtensionOid"/>):
/// <c>tag([ bstr evidence, bstr claims-buffer ])</c>, where the claims buffer is the CBOR map
/// <c>{ "pubkey-hash": bstr .cbor [ hash-alg-id, bstr hash ], ? "nonce": bstr }</c> and the
/// evidence's report data is SHA-256 of the claims buffer followed by 32 zero bytes. The hash in
/// <c>pubkey-hash</c> is of the certificate's DER SubjectPublicKeyInfo. Decoding checks the shape
/// only; <see cref="AttestedTls"/> checks the binding and the evidence.
/// </summary>
public sealed class RaTlsEvidence
{
    private const string Structure = "RA-TLS evidence extension";

    private RaTlsEvidence(ulong tag, byte[] evidence, byte[] claimsBuffer, ulong hashAlgorithm, byte[] publicKeyHash, byte[]? nonce)
    {
        Tag = tag;
        Evidence = evidence;
        ClaimsBuffer = claimsBuffer;
        PublicKeyHashAlgorithm = hashAlgorithm;
        PublicKeyHash = publicKeyHash;
        if (nonce is not null)
        {
            Nonce = nonce;
        }
    }

    /// <summary>The CBOR tag: what the evidence is (<see cref="RaTlsFormat.IntelTeeQuoteTag"/>).</summary>
    public ulong Tag { get; }

    /// <summary>The evidence itself (for tag 60000, an SGX or TDX quote).</summary>
    public ReadOnlyMemory<byte> Evidence { get; }

    /// <summary>The serialized claims exactly as carried: what the report data hashes.</summary>
    public ReadOnlyMemory<byte> ClaimsBuffer { get; }

    /// <summary>The IANA named-information ID of the public-key hash (1 SHA-256, 7 SHA-384, 8 SHA-512).</summary>
    public ulong PublicKeyHashAlgorithm { get; }

    /// <summary>The hash of the certificate's SubjectPublicKeyInfo that the claims state.</summary>
    public ReadOnlyMemory<byte> PublicKeyHash { get; }

    /// <summary>The nonce claim, or null when the certificate carries none.</summary>
    public ReadOnlyMemory<byte>? Nonce { get; }

    /// <summary>The claims buffer binding <paramref name="subjectPublicKeyInfo"/> (SHA-256) and, when not empty, <paramref name="nonce"/>.</summary>
    public static byte[] CreateClaimsBuffer(ReadOnlySpan<byte> subjectPublicKeyInfo, ReadOnlySpan<byte> nonce = default)
    {
        CborWriter hashEntry = new(CborConformanceMode.Strict);
        hashEntry.WriteStartArray(2);
        hashEntry.WriteUInt64(RaTlsFormat.Sha256AlgorithmId);
        hashEntry.WriteByteString(SHA256.HashData(subjectPublicKeyInfo));
        hashEntry.WriteEndArray();

        CborWriter claims = new(CborConformanceMode.Strict);
        claims.WriteStartMap(nonce.IsEmpty ? 1 : 2);
        claims.WriteTextString(RaTlsFormat.PublicKeyHashClaim);
        claims.WriteByteString(hashEntry.Encode());
        if (!nonce.IsEmpty)
        {
            claims.WriteTextString(RaTlsFormat.NonceClaim);
            claims.WriteByteString(nonce);
        }

        claims.WriteEndMap();
        return claims.Encode();
    }

    /// <summary>The 64 bytes of report data that bind <paramref name="claimsBuffer"/>: its SHA-256, then 32 zero bytes.</summary>
    public static byte[] ReportDataFor(ReadOnlySpan<byte> claimsBuffer)
    {
        byte[] reportData = new byte[64];
        SHA256.HashData(claimsBuffer, reportData);
        return reportData;
    }

    /// <summary>The extension value: <c>tag([ bstr evidence, bstr claims-buffer ])</c>, definite lengths.</summary>
    public static byte[] Encode(ulong tag, ReadOnlySpan<byte> evidence, ReadOnlySpan<byte> claimsBuffer)
    {
        CborWriter writer = new(CborConformanceMode.Strict);
        writer.WriteTag((CborTag)tag);
        writer.WriteStartArray(2);
        writer.WriteByteString(evidence);
        writer.WriteByteString(claimsBuffer);
        writer.WriteEndArray();
        return writer.Encode();
    }

    /// <summary>Parses an extension value; any deviation from the layout is a typed error.</summary>
    /// <exception cref="EvidenceFormatException">The bytes are not the layout above (the exception names the field).</exception>
    public static RaTlsEvidence Decode(ReadOnlyMemory<byte> extensionValue)
    {
        try
        {
            CborReader reader = new(extensionValue, CborConformanceMode.Strict);
            Expect(reader, CborReaderState.Tag, "tag");
            ulong tag = (ulong)reader.ReadTag();
            Expect(reader, CborReaderState.StartArray, "evidence array");
            if (reader.ReadStartArray() != 2)
            {
                throw Bad("evidence array", "expected a definite-length array of 2 entries (evidence, claims)");
            }

            byte[] evidence = ReadBytes(reader, "evidence");
            byte[] claimsBuffer = ReadBytes(reader, "claims-buffer");
            reader.ReadEndArray();
            End(reader, "evidence array");
            (ulong algorithm, byte[] hash, byte[]? nonce) = DecodeClaims(claimsBuffer);
            return new RaTlsEvidence(tag, evidence, claimsBuffer, algorithm, hash, nonce);
        }
        catch (CborContentException e)
        {
            throw new EvidenceFormatException(Structure, "CBOR", -1, $"not well-formed CBOR ({ErrorText.Message(e)})");
        }
    }

    private static (ulong Algorithm, byte[] Hash, byte[]? Nonce) DecodeClaims(byte[] claimsBuffer)
    {
        CborReader reader = new(claimsBuffer, CborConformanceMode.Strict);
        Expect(reader, CborReaderState.StartMap, "claims-buffer");
        int count = reader.ReadStartMap() ?? throw Bad("claims-buffer", "expected a definite-length map");
        (ulong, byte[])? keyHash = null;
        byte[]? nonce = null;
        for (int i = 0; i < count; i++)
        {
            // Other claims may follow (rats-tls adds its own); the report data covers them all.
            Expect(reader, CborReaderState.TextString, "claim name");
            string name = reader.ReadTextString();
            if (name == RaTlsFormat.PublicKeyHashClaim)
            {
                keyHash = DecodeHashEntry(ReadBytes(reader, name));
            }
            else if (name == RaTlsFormat.NonceClaim)
            {
                nonce = ReadBytes(reader, name);
            }
            else
            {
                reader.SkipValue();
            }
        }

        reader.ReadEndMap();
        End(reader, "claims-buffer");
        (ulong algorithm, byte[] hash) = keyHash ?? throw Bad("claims-buffer", $"the required claim '{RaTlsFormat.PublicKeyHashClaim}' is missing");
        return (algorithm, hash, nonce);
    }

    private static (ulong Algorithm, byte[] Hash) DecodeHashEntry(byte[] encoded)
    {
        CborReader reader = new(encoded, CborConformanceMode.Strict);
        Expect(reader, CborReaderState.StartArray, RaTlsFormat.PublicKeyHashClaim);
        if (reader.ReadStartArray() != 2)
        {
            throw Bad(RaTlsFormat.PublicKeyHashClaim, "expected a hash-entry: a definite-length array [hash-alg-id, hash-value]");
        }

        Expect(reader, CborReaderState.UnsignedInteger, "hash-alg-id");
        ulong algorithm = reader.ReadUInt64();
        byte[] hash = ReadBytes(reader, "hash-value");
        reader.ReadEndArray();
        End(reader, RaTlsFormat.PublicKeyHashClaim);
        int expected = HashLength(algorithm) ?? throw Bad("hash-alg-id", $"expected 1 (SHA-256), 7 (SHA-384) or 8 (SHA-512), found {algorithm}");
        if (hash.Length != expected)
        {
            throw Bad("hash-value", $"expected {expected} bytes for hash-alg-id {algorithm}, found {hash.Length}");
        }

        return (algorithm, hash);
    }

    /// <summary>The hash of <paramref name="data"/> under an IANA named-information ID this format allows.</summary>
    internal static byte[] Hash(ulong algorithm, ReadOnlySpan<byte> data) => algorithm switch
    {
        RaTlsFormat.Sha256AlgorithmId => SHA256.HashData(data),
        RaTlsFormat.Sha384AlgorithmId => SHA384.HashData(data),
        RaTlsFormat.Sha512AlgorithmId => SHA512.HashData(data),
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "Not a hash this format allows."),
    };

    private static int? HashLength(ulong algorithm) => algorithm switch
    {
        RaTlsFormat.Sha256AlgorithmId => 32,
        RaTlsFormat.Sha384AlgorithmId => 48,
        RaTlsFormat.Sha512AlgorithmId => 64,
        _ => null,
    };

    private static byte[] ReadBytes(CborReader reader, string field)
    {
        Expect(reader, CborReaderState.ByteString, field);
        return reader.ReadByteString();
    }

    private static void Expect(CborReader reader, CborReaderState expected, string field)
    {
        CborReaderState found = reader.PeekState();
        if (found != expected)
        {
            throw Bad(field, $"expected {expected}, found {found}");
        }
    }

    private static void End(CborReader reader, string field)
    {
        if (reader.BytesRemaining != 0)
        {
            throw Bad(field, $"{reader.BytesRemaining} bytes follow the end of the item");
        }
    }

    private static EvidenceFormatException Bad(string field, string problem) => new(Structure, field, -1, problem);
}
