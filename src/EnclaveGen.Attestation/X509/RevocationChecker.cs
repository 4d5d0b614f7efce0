using EnclaveGen.Attestation.Verification;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;

namespace EnclaveGen.Attestation.X509;

/// <summary>Checks CRLs given as collateral against a validated chain at the verification time.</summary>
internal static class RevocationChecker
{
    private static readonly HashSet<string> s_understoodCritical =
    [
        X509Extensions.IssuingDistributionPoint.Id,
    ];

    /// <param name="path">The validated chain, leaf first, with the anchor certificate last.</param>
    /// <param name="names">A name per certificate of <paramref name="path"/>.</param>
    /// <param name="crls">The CRLs (DER).</param>
    /// <param name="time">The verification time.</param>
    /// <param name="keys">Imported keys to reuse.</param>
    /// <returns>The CRLs that were about this path and passed: their issuer and dates.</returns>
    /// <remarks>
    /// A CRL whose issuer is none of the path's CAs is about another chain (for example the PCK
    /// Platform CA's CRL given with a quote under the Processor CA) and is skipped.
    /// </remarks>
    /// <exception cref="EvidenceVerificationException">A CRL is malformed, badly signed by the CA it names or not current (<c>crl.*</c>), or it revokes a certificate of the chain (<c>chain.revoked</c>).</exception>
    public static IReadOnlyList<CheckedCrl> Check(IReadOnlyList<ParsedCertificate> path, IReadOnlyList<string> names, IReadOnlyList<byte[]> crls, DateTimeOffset time, PublicKeyCache keys)
    {
        var covered = new List<CheckedCrl>();
        for (int c = 0; c < crls.Count; c++)
        {
            string crlName = $"CRL {c}";
            CertificateList crl = Parse(crls[c] ?? throw new ArgumentException("A CRL is null.", nameof(crls)), crlName);
            int issuerIndex = -1;
            for (int i = path.Count - 1; i >= 0; i--)
            {
                if (path[i].Subject.Equivalent(crl.Issuer, true))
                {
                    issuerIndex = i;
                    break;
                }
            }

            if (issuerIndex < 0)
            {
                continue;
            }

            ParsedCertificate issuer = path[issuerIndex];
            string? problem = SignatureChecks.CheckSignedStructure(crl.SignatureAlgorithm, crl.TbsCertList.Signature, crl.TbsCertList.GetDerEncoded(), crl.Signature, issuer.SubjectPublicKeyInfo, keys);
            if (problem is not null)
            {
                throw new EvidenceVerificationException("crl.signature", $"{crlName} ('{crl.Issuer}') does not verify under {names[issuerIndex]}'s key: {problem}");
            }

            DateTime at = time.UtcDateTime;
            DateTime thisUpdate = crl.ThisUpdate.ToDateTime();
            DateTime? nextUpdate = crl.NextUpdate?.ToDateTime();
            if (at < thisUpdate || nextUpdate is not { } next || at > next)
            {
                throw new EvidenceVerificationException("crl.validity", $"{crlName} ('{crl.Issuer}') is current from {thisUpdate:yyyy-MM-ddTHH:mm:ssZ} to {(nextUpdate is { } n ? n.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture) : "(no nextUpdate)")}, not at the verification time {at:yyyy-MM-ddTHH:mm:ssZ}");
            }

            X509Extensions? extensions = crl.TbsCertList.Extensions;
            if (extensions is not null)
            {
                foreach (DerObjectIdentifier oid in extensions.ExtensionOids)
                {
                    if (extensions.GetExtension(oid).IsCritical && !s_understoodCritical.Contains(oid.Id))
                    {
                        throw new EvidenceVerificationException("crl.extension", $"{crlName} has a critical extension {oid.Id} that the verifier does not understand (delta CRLs are not supported)");
                    }
                }
            }

            // The certificates this CA issued: the one just below it (and itself, for a self-issued root).
            for (int i = 0; i < path.Count; i++)
            {
                if (!path[i].Issuer.Equivalent(crl.Issuer, true))
                {
                    continue;
                }

                Org.BouncyCastle.Math.BigInteger serial = path[i].Certificate.SerialNumber;
                foreach (CrlEntry entry in crl.GetRevokedCertificateEnumeration())
                {
                    if (entry.UserCertificate.Value.Equals(serial) && entry.RevocationDate.ToDateTime() <= at)
                    {
                        throw new EvidenceVerificationException("chain.revoked", $"the {names[i]} certificate (serial {serial.ToString(16)}) is revoked since {entry.RevocationDate.ToDateTime():yyyy-MM-ddTHH:mm:ssZ} by {crlName} ('{crl.Issuer}')");
                    }
                }
            }

            covered.Add(new CheckedCrl(path[issuerIndex], new DateTimeOffset(DateTime.SpecifyKind(thisUpdate, DateTimeKind.Utc)), new DateTimeOffset(DateTime.SpecifyKind(next, DateTimeKind.Utc))));
        }

        return covered;
    }

    private static CertificateList Parse(byte[] der, string name)
    {
        try
        {
            var crl = CertificateList.GetInstance(Asn1Object.FromByteArray(der));
            if (!crl.GetDerEncoded().AsSpan().SequenceEqual(der))
            {
                throw new EvidenceVerificationException("crl.encoding", $"{name} is not in canonical DER");
            }

            foreach (CrlEntry entry in crl.GetRevokedCertificateEnumeration())
            {
                _ = entry.UserCertificate;
                _ = entry.RevocationDate.ToDateTime();
            }

            _ = crl.ThisUpdate.ToDateTime();
            _ = crl.NextUpdate?.ToDateTime();
            return crl;
        }
        catch (Exception e) when (ParsedCertificate.IsParserFailure(e))
        {
            throw new EvidenceVerificationException("crl.encoding", $"{name} is not a DER X.509 CRL ({ErrorText.Describe(e)})");
        }
    }
}

/// <summary>A CRL that was about a validated path and passed: the CA that issued it and when it is current.</summary>
/// <param name="Issuer">The CA of the path that issued the CRL.</param>
/// <param name="ThisUpdate">When the CRL was issued.</param>
/// <param name="NextUpdate">When the next CRL is due; this one is stale after it.</param>
internal sealed record CheckedCrl(ParsedCertificate Issuer, DateTimeOffset ThisUpdate, DateTimeOffset NextUpdate);
