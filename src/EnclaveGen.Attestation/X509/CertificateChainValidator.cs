using EnclaveGen.Attestation.Verification;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;

namespace EnclaveGen.Attestation.X509;

/// <summary>
/// Validates a certificate chain (leaf first) up to one of the trust anchors at an explicit time:
/// each certificate's issuer name is the next one's subject and its signature verifies under the
/// next one's key; every issuer is a CA (basic constraints, path length, key usage keyCertSign when
/// key usage is present); no certificate has a critical extension this validator does not
/// understand; every certificate, the anchor included, is valid at the verification time. The top
/// of the chain is either a copy of an anchor (same subject and key; its self-signature is checked
/// too) or is issued by an anchor.
/// </summary>
internal static class CertificateChainValidator
{
    private static readonly HashSet<string> s_understoodCritical =
    [
        X509Extensions.BasicConstraints.Id,
        X509Extensions.KeyUsage.Id,
    ];

    /// <summary>Validates the chain and returns the anchor it ends at.</summary>
    /// <param name="chain">Certificates, leaf first, already parsed.</param>
    /// <param name="names">A name per certificate for messages ("PCK leaf", ...).</param>
    /// <param name="anchors">The anchors to accept.</param>
    /// <param name="time">The verification time.</param>
    /// <param name="keys">Imported issuer keys to reuse, if any.</param>
    /// <exception cref="EvidenceVerificationException">A check failed; <see cref="AttestationException.Check"/> says which.</exception>
    public static TrustAnchor Validate(IReadOnlyList<ParsedCertificate> chain, IReadOnlyList<string> names, IEnumerable<TrustAnchor> anchors, DateTimeOffset time, PublicKeyCache? keys = null)
    {
        if (chain.Count == 0)
        {
            throw new EvidenceVerificationException("chain.anchor", "the chain is empty");
        }

        ParsedCertificate top = chain[^1];
        TrustAnchor? anchor = null;
        bool topIsAnchorCopy = false;
        foreach (TrustAnchor candidate in anchors)
        {
            if (candidate.Certificate.Subject.Equivalent(top.Subject, true) && candidate.Certificate.SubjectPublicKeyInfo.AsSpan().SequenceEqual(top.SubjectPublicKeyInfo))
            {
                anchor = candidate;
                topIsAnchorCopy = true;
                break;
            }
        }

        if (anchor is null)
        {
            foreach (TrustAnchor candidate in anchors)
            {
                if (candidate.Certificate.Subject.Equivalent(top.Issuer, true))
                {
                    anchor = candidate;
                    break;
                }
            }
        }

        if (anchor is null)
        {
            throw new EvidenceVerificationException("chain.anchor", $"the chain ends at '{top.SubjectText}' (issued by '{top.Issuer}'), which is not a trusted root; trusted: {string.Join(", ", anchors.Select(a => $"'{a.Subject}'"))}");
        }

        // The full path, root last: the anchor itself, or the embedded copy standing in for it.
        var path = new List<ParsedCertificate>(chain);
        var pathNames = new List<string>(names);
        if (!topIsAnchorCopy)
        {
            path.Add(anchor.Certificate);
            pathNames.Add(anchor.Name);
        }

        CheckValidity(anchor.Certificate, anchor.Name, time);
        for (int i = path.Count - 1; i >= 0; i--)
        {
            ParsedCertificate certificate = path[i];
            string name = pathNames[i];
            CheckValidity(certificate, name, time);
            CheckCriticalExtensions(certificate, name);

            bool isRoot = i == path.Count - 1;
            ParsedCertificate issuer = isRoot ? certificate : path[i + 1];
            string issuerName = isRoot ? name : pathNames[i + 1];
            if (!certificate.Issuer.Equivalent(issuer.Subject, true))
            {
                throw new EvidenceVerificationException("chain.issuer", $"the {name} certificate names issuer '{certificate.Issuer}', but the next certificate is '{issuer.SubjectText}'");
            }

            if (isRoot)
            {
                // The root (or the chain's copy of it) must be self-signed with the anchor's key.
                CheckIsCa(certificate, name, i);
            }
            else
            {
                CheckIsCa(issuer, issuerName, i + 1);
            }

            string? problem = keys is null
                ? SignatureChecks.CheckCertificateSignature(certificate, issuer.SubjectPublicKeyInfo)
                : keys.CheckCertificateSignature(certificate, issuer.SubjectPublicKeyInfo);
            if (problem is not null)
            {
                throw new EvidenceVerificationException("chain.signature", $"the {name} certificate's signature by {issuerName} failed: {problem}");
            }
        }

        return anchor;
    }

    private static void CheckValidity(ParsedCertificate certificate, string name, DateTimeOffset time)
    {
        DateTime notBefore = certificate.Certificate.NotBefore;
        DateTime notAfter = certificate.Certificate.NotAfter;
        DateTime at = time.UtcDateTime;
        if (at < notBefore || at > notAfter)
        {
            throw new EvidenceVerificationException("chain.validity", $"the {name} certificate is valid from {notBefore:yyyy-MM-ddTHH:mm:ssZ} to {notAfter:yyyy-MM-ddTHH:mm:ssZ}, not at the verification time {at:yyyy-MM-ddTHH:mm:ssZ}");
        }
    }

    private static void CheckCriticalExtensions(ParsedCertificate certificate, string name)
    {
        X509Extensions? extensions = certificate.Certificate.CertificateStructure.TbsCertificate.Extensions;
        if (extensions is null)
        {
            return;
        }

        foreach (DerObjectIdentifier oid in extensions.ExtensionOids)
        {
            if (extensions.GetExtension(oid).IsCritical && !s_understoodCritical.Contains(oid.Id))
            {
                throw new EvidenceVerificationException("chain.extension", $"the {name} certificate has a critical extension {oid.Id} that the verifier does not understand");
            }
        }
    }

    /// <summary>Requires a CA certificate that may have <paramref name="certificatesBelow"/> intermediates under it.</summary>
    private static void CheckIsCa(ParsedCertificate issuer, string name, int certificatesBelow)
    {
        BasicConstraints? constraints;
        KeyUsage? keyUsage;
        try
        {
            X509Extensions? extensions = issuer.Certificate.CertificateStructure.TbsCertificate.Extensions;
            constraints = BasicConstraints.FromExtensions(extensions);
            keyUsage = KeyUsage.FromExtensions(extensions);
        }
        catch (Exception e) when (e is ArgumentException or InvalidCastException or InvalidOperationException or Org.BouncyCastle.Security.GeneralSecurityException)
        {
            throw new EvidenceVerificationException("chain.ca", $"the {name} certificate's basic constraints or key usage are malformed ({ErrorText.Message(e)})");
        }

        if (constraints is null || !constraints.IsCA())
        {
            throw new EvidenceVerificationException("chain.ca", $"the {name} certificate signs other certificates but is not marked as a CA (basic constraints cA=true)");
        }

        // pathLenConstraint counts the intermediates below this CA, the leaf excluded.
        int intermediatesBelow = Math.Max(0, certificatesBelow - 1);
        if (constraints.PathLenConstraint is { } pathLen && pathLen.IntValue < intermediatesBelow)
        {
            throw new EvidenceVerificationException("chain.ca", $"the {name} certificate allows {pathLen} intermediate CAs below it, the chain has {intermediatesBelow}");
        }

        if (keyUsage is not null && (keyUsage.IntValue & KeyUsage.KeyCertSign) == 0)
        {
            throw new EvidenceVerificationException("chain.ca", $"the {name} certificate's key usage does not include keyCertSign");
        }
    }
}
