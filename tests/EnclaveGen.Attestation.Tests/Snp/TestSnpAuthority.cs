using System.Security.Cryptography;
using EnclaveGen.Attestation.Emulation;
using EnclaveGen.Attestation.Formats;
using EnclaveGen.Attestation.Verification;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;

namespace EnclaveGen.Attestation.Tests.Snp;

/// <summary>
/// A test ARK, ASK and VCEK (ECDSA P-384, so keys are quick to make) that re-sign a real report's
/// signed bytes, with the VCEK's hwID and TCB extensions taken from that report, and issue CRLs as
/// AMD's KDS does. It lets tests revoke an ASK or a VCEK, which the real AMD keys cannot.
/// </summary>
internal sealed class TestSnpAuthority : IDisposable
{
    private readonly ECDsa _ark = ECDsa.Create(ECCurve.NamedCurves.nistP384);
    private readonly ECDsa _ask = ECDsa.Create(ECCurve.NamedCurves.nistP384);
    private readonly ECDsa _vcek = ECDsa.Create(ECCurve.NamedCurves.nistP384);
    private readonly X509Name _arkName = new("CN=ARK-Test,O=EnclaveGen test");
    private readonly X509Name _askName = new("CN=SEV-Test,O=EnclaveGen test");

    public TestSnpAuthority(SnpReport template, DateTimeOffset notBefore)
    {
        NotBefore = notBefore;
        ArkDer = Issue(_arkName, _arkName, _ark, _ark, isCa: true, extensions: []);
        AskDer = Issue(_askName, _arkName, _ask, _ark, isCa: true, extensions: []);
        VcekDer = Issue(new X509Name("CN=SEV-VCEK,O=EnclaveGen test"), _askName, _vcek, _ask, isCa: false,
            extensions: EmulatedSnpAuthority.VcekExtensions(template.Product ?? SnpProducts.Milan, template.ReportedTcb, template.ChipId.ToArray()));
        Anchor = TrustAnchor.ForSnp(ArkDer, "test ARK", isEmulated: true);
    }

    public DateTimeOffset NotBefore { get; }

    public byte[] ArkDer { get; }

    public byte[] AskDer { get; }

    public byte[] VcekDer { get; }

    public TrustAnchor Anchor { get; }

    public EvidenceInput Input(params byte[][] crls) => new() { Certificates = [VcekDer, AskDer], Collateral = new AttestationCollateral(crls) };

    /// <summary>The report with its signature replaced by the test VCEK's over bytes [0, 0x2A0).</summary>
    public byte[] Sign(byte[] report)
    {
        byte[] signed = (byte[])report.Clone();
        byte[] signature = _vcek.SignData(signed.AsSpan(0, SnpReport.SignedSize), HashAlgorithmName.SHA384, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        Array.Clear(signed, SnpReport.SignedSize, SnpReport.Size - SnpReport.SignedSize);
        for (int i = 0; i < 48; i++)
        {
            signed[SnpReport.SignedSize + i] = signature[47 - i];
            signed[SnpReport.SignedSize + 72 + i] = signature[95 - i];
        }

        return signed;
    }

    /// <summary>A CRL by the ARK (AMD's KDS CRL, revoking ASKs) or by the ASK (revoking VCEKs).</summary>
    public byte[] Crl(bool byArk, IEnumerable<byte[]> revoked, DateTimeOffset thisUpdate, DateTimeOffset nextUpdate)
    {
        var generator = new X509V2CrlGenerator();
        generator.SetIssuerDN(byArk ? _arkName : _askName);
        generator.SetThisUpdate(thisUpdate.UtcDateTime);
        generator.SetNextUpdate(nextUpdate.UtcDateTime);
        foreach (byte[] der in revoked)
        {
            generator.AddCrlEntry(new X509CertificateParser().ReadCertificate(der).SerialNumber, thisUpdate.UtcDateTime, CrlReason.KeyCompromise);
        }

        return generator.Generate(new Asn1SignatureFactory("SHA384WITHECDSA", Private(byArk ? _ark : _ask))).GetEncoded();
    }

    public void Dispose()
    {
        _ark.Dispose();
        _ask.Dispose();
        _vcek.Dispose();
    }

    private byte[] Issue(X509Name subject, X509Name issuer, ECDsa subjectKey, ECDsa issuerKey, bool isCa, IEnumerable<(string Oid, byte[] Value)> extensions) =>
        EmulatedSnpAuthority.IssueCertificate(subject, issuer, subjectKey.ExportSubjectPublicKeyInfo(), tbs => issuerKey.SignData(tbs, HashAlgorithmName.SHA384, DSASignatureFormat.Rfc3279DerSequence),
            new BigInteger(1, RandomNumberGenerator.GetBytes(8)), NotBefore.UtcDateTime, NotBefore.AddYears(5).UtcDateTime, isCa, extensions);

    private static AsymmetricKeyParameter Private(ECDsa key) => PrivateKeyFactory.CreateKey(key.ExportPkcs8PrivateKey());
}
