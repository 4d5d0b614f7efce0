using System.Security.Cryptography;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Nist;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Asn1.X9;

namespace EnclaveGen.Attestation.X509;

/// <summary>
/// Signature checks. BouncyCastle decodes and checks the ASN.1 (algorithm identifiers, PSS
/// parameters, the ECDSA signature's DER); the arithmetic runs in .NET's platform cryptography,
/// which measured 7 times (ECDSA) to 10 times (RSA) faster than BouncyCastle's here and makes the
/// exhaustive tamper tests affordable.
/// </summary>
internal static class SignatureChecks
{
    private static readonly DerObjectIdentifier s_ecdsaSha256 = X9ObjectIdentifiers.ECDsaWithSha256;
    private static readonly DerObjectIdentifier s_ecdsaSha384 = X9ObjectIdentifiers.ECDsaWithSha384;
    private static readonly DerObjectIdentifier s_rsaPss = PkcsObjectIdentifiers.IdRsassaPss;

    /// <summary>
    /// Checks that <paramref name="subject"/> was signed by the key in <paramref name="issuerSpki"/>:
    /// the outer and TBS algorithm identifiers agree, the algorithm is one this verifier supports
    /// (ECDSA with SHA-256/384 on P-256/P-384; RSASSA-PSS with SHA-384, MGF1-SHA-384, salt 48), and
    /// the signature verifies over the TBS bytes.
    /// </summary>
    /// <returns>Null when it verifies, otherwise why not.</returns>
    public static string? CheckCertificateSignature(ParsedCertificate subject, byte[] issuerSpki, PublicKeyCache? keys = null)
    {
        X509CertificateStructure c = subject.Certificate.CertificateStructure;
        return CheckSignedStructure(c.SignatureAlgorithm, c.TbsCertificate.Signature, c.TbsCertificate.GetDerEncoded(), c.Signature, issuerSpki, keys);
    }

    /// <summary>
    /// Checks an X.509 signed structure (a certificate or a CRL): the outer and inner algorithm
    /// identifiers agree, the algorithm is supported, and the signature verifies over the TBS bytes.
    /// </summary>
    /// <returns>Null when it verifies, otherwise why not.</returns>
    public static string? CheckSignedStructure(AlgorithmIdentifier outer, AlgorithmIdentifier inner, byte[] tbs, DerBitString signatureBits, byte[] issuerSpki, PublicKeyCache? keys)
    {
        if (!outer.Equals(inner))
        {
            return "the outer signature algorithm differs from the one inside the signed part";
        }

        if (signatureBits.PadBits != 0)
        {
            return "the signature BIT STRING has unused bits";
        }

        byte[] signature = signatureBits.GetOctets();
        DerObjectIdentifier oid = outer.Algorithm;
        if (oid.Equals(s_ecdsaSha256) || oid.Equals(s_ecdsaSha384))
        {
            if (outer.Parameters is not null)
            {
                return "ECDSA algorithm identifiers carry no parameters";
            }

            HashAlgorithmName hash = oid.Equals(s_ecdsaSha256) ? HashAlgorithmName.SHA256 : HashAlgorithmName.SHA384;
            keys ??= new PublicKeyCache();
            int fieldSize = keys.EcFieldSize(issuerSpki);
            if (fieldSize == 0)
            {
                return "the issuer's key is not an EC P-256 or P-384 key";
            }

            byte[]? raw = DecodeDerEcdsaSignature(signature, fieldSize);
            if (raw is null)
            {
                return "the ECDSA signature is not a canonical DER SEQUENCE of two positive INTEGERs";
            }

            return keys.VerifyEcdsa(issuerSpki, tbs, raw, hash) ? null : "the ECDSA signature does not verify under the issuer's key";
        }

        if (oid.Equals(s_rsaPss))
        {
            string? paramsProblem = CheckPssSha384Parameters(outer.Parameters);
            if (paramsProblem is not null)
            {
                return paramsProblem;
            }

            // .NET's PSS uses a salt as long as the hash (48 for SHA-384) and MGF1 with the same hash,
            // exactly the parameters checked above.
            keys ??= new PublicKeyCache();
            return keys.VerifyRsaPssSha384(issuerSpki, tbs, signature) switch
            {
                null => "the issuer's key is not an RSA key of 2048 bits or more",
                true => null,
                false => "the RSA-PSS signature does not verify under the issuer's key",
            };
        }

        return $"the signature algorithm {oid.Id} is not supported (ECDSA with SHA-256/384, RSASSA-PSS with SHA-384)";
    }

    private static string? CheckPssSha384Parameters(Asn1Encodable? parameters)
    {
        RsassaPssParameters pss;
        try
        {
            pss = RsassaPssParameters.GetInstance(parameters);
            _ = pss?.SaltLength.IntValueExact;
            _ = pss?.TrailerField.IntValueExact;
        }
        catch (Exception e) when (ParsedCertificate.IsParserFailure(e))
        {
            return "the RSASSA-PSS parameters are malformed";
        }

        if (pss is null)
        {
            return "the RSASSA-PSS parameters are missing";
        }

        if (!pss.HashAlgorithm.Algorithm.Equals(NistObjectIdentifiers.IdSha384))
        {
            return $"the RSASSA-PSS hash is {pss.HashAlgorithm.Algorithm.Id}, expected SHA-384";
        }

        if (!pss.MaskGenAlgorithm.Algorithm.Equals(PkcsObjectIdentifiers.IdMgf1))
        {
            return "the RSASSA-PSS mask generation function is not MGF1";
        }

        AlgorithmIdentifier mgfHash;
        try
        {
            mgfHash = AlgorithmIdentifier.GetInstance(pss.MaskGenAlgorithm.Parameters);
        }
        catch (Exception e) when (ParsedCertificate.IsParserFailure(e))
        {
            return "the MGF1 parameters are malformed";
        }

        if (mgfHash is null || !mgfHash.Algorithm.Equals(NistObjectIdentifiers.IdSha384))
        {
            return "the MGF1 hash is not SHA-384";
        }

        if (pss.SaltLength.IntValueExact != 48)
        {
            return $"the RSASSA-PSS salt length is {pss.SaltLength}, expected 48";
        }

        if (pss.TrailerField.IntValueExact != 1)
        {
            return $"the RSASSA-PSS trailer field is {pss.TrailerField}, expected 1";
        }

        return null;
    }

    /// <summary>Decodes a DER ECDSA signature into fixed-width r||s, or null when it is not canonical DER.</summary>
    internal static byte[]? DecodeDerEcdsaSignature(byte[] der, int fieldSize)
    {
        try
        {
            var sequence = Asn1Sequence.GetInstance(Asn1Object.FromByteArray(der));
            if (sequence.Count != 2 || !sequence.GetDerEncoded().AsSpan().SequenceEqual(der))
            {
                return null;
            }

            var r = DerInteger.GetInstance(sequence[0]).PositiveValue;
            var s = DerInteger.GetInstance(sequence[1]).PositiveValue;
            if (DerInteger.GetInstance(sequence[0]).Value.SignValue <= 0 || DerInteger.GetInstance(sequence[1]).Value.SignValue <= 0)
            {
                return null;
            }

            byte[] rBytes = r.ToByteArrayUnsigned();
            byte[] sBytes = s.ToByteArrayUnsigned();
            if (rBytes.Length > fieldSize || sBytes.Length > fieldSize)
            {
                return null;
            }

            byte[] raw = new byte[2 * fieldSize];
            rBytes.CopyTo(raw, fieldSize - rBytes.Length);
            sBytes.CopyTo(raw, 2 * fieldSize - sBytes.Length);
            return raw;
        }
        catch (Exception e) when (ParsedCertificate.IsParserFailure(e))
        {
            return null;
        }
    }

    internal static ECDsa? ImportEcKey(byte[] spki)
    {
        try
        {
            var info = SubjectPublicKeyInfo.GetInstance(spki);
            if (!info.Algorithm.Algorithm.Equals(X9ObjectIdentifiers.IdECPublicKey)
                || info.Algorithm.Parameters is not DerObjectIdentifier curve
                || !(curve.Equals(SecObjectIdentifiers.SecP256r1) || curve.Equals(SecObjectIdentifiers.SecP384r1)))
            {
                // Only the named curves P-256 and P-384; explicit curve parameters are refused.
                return null;
            }

            var ecdsa = ECDsa.Create();
            try
            {
                ecdsa.ImportSubjectPublicKeyInfo(spki, out int read);
                if (read == spki.Length)
                {
                    return ecdsa;
                }
            }
            catch (CryptographicException)
            {
                // Not a valid point: refused below.
            }

            ecdsa.Dispose();
            return null;
        }
        catch (Exception e) when (e is CryptographicException || ParsedCertificate.IsParserFailure(e))
        {
            return null;
        }
    }

    internal static RSA? ImportRsaKey(byte[] spki)
    {
        try
        {
            var info = SubjectPublicKeyInfo.GetInstance(spki);
            if (!info.Algorithm.Algorithm.Equals(PkcsObjectIdentifiers.RsaEncryption) && !info.Algorithm.Algorithm.Equals(PkcsObjectIdentifiers.IdRsassaPss))
            {
                return null;
            }

            var rsa = RSA.Create();
            try
            {
                rsa.ImportSubjectPublicKeyInfo(spki, out int read);
                if (read == spki.Length && rsa.KeySize >= 2048)
                {
                    return rsa;
                }
            }
            catch (CryptographicException)
            {
                // Not a valid RSA key: refused below.
            }

            rsa.Dispose();
            return null;
        }
        catch (Exception e) when (e is CryptographicException || ParsedCertificate.IsParserFailure(e))
        {
            return null;
        }
    }
}
