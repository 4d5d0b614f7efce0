using System.Buffers.Binary;
using System.Security.Cryptography;
using EnclaveGen.Attestation.Formats;
using EnclaveGen.Attestation.Verification;
using EnclaveGen.Attestation.X509;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.X509;

namespace EnclaveGen.Attestation.Emulation;

/// <summary>
/// The emulated confidential VM's AMD Secure Processor: an emulated ARK, ASK and VCEK (ECDSA P-384;
/// AMD's ARK and ASK are RSA-4096 with RSASSA-PSS, which the verifier also accepts) and SEV-SNP
/// attestation reports of version 3 in the SEV-SNP firmware ABI's ATTESTATION_REPORT layout, signed
/// by the VCEK, that <see cref="SnpReportVerifier"/> checks with the same code as real ones.
/// </summary>
/// <remarks>
/// Everything is a function of a seed (the platform derives it from its root key): the keys, the
/// chip ID, the certificates (signed with deterministic ECDSA, RFC 6979), so every process of one
/// platform hands out the same chain and nothing needs storing. The ARK's subject says it is
/// emulated; its anchor (<see cref="TrustAnchor"/>) is registered as emulated, so claims say
/// <c>IsEmulated</c> and the default policy refuses them. The reports name a Milan processor.
/// </remarks>
public sealed class EmulatedSnpAuthority
{
    /// <summary>The common name of every emulated ARK: it says it is emulated.</summary>
    public const string ArkCommonName = "EnclaveGen EMULATED ARK - NOT FOR PRODUCTION";

    /// <summary>The report version written (the first with the CPUID fields that name the processor).</summary>
    public const uint ReportVersion = 3;

    /// <summary>The guest policy: SMT allowed, reserved bit 17 set, not DEBUG, no migration agent.</summary>
    public const ulong GuestPolicy = SnpReport.PolicySmt | SnpReport.PolicyReservedMustBeOne;

    private const string Organization = "EnclaveGen emulated platform - no hardware protection";

    /// <summary>The emulated TCB: boot loader 3, TEE 0, SNP 8, microcode 115 (Milan layout).</summary>
    private static readonly SnpTcbVersion s_tcb = new(0x73_08_0000_0000_00_03UL);

    private static readonly ECNamedDomainParameters s_curve = ECNamedDomainParameters.LookupOid(SecObjectIdentifiers.SecP384r1);
    private static readonly DateTime s_notBefore = new(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime s_notAfter = new(2049, 12, 31, 23, 59, 59, DateTimeKind.Utc);

    private readonly ECPrivateKeyParameters _vcek;
    private readonly byte[] _reportId;

    private EmulatedSnpAuthority(ReadOnlySpan<byte> seed)
    {
        ECPrivateKeyParameters ark = Key(seed, "ARK");
        ECPrivateKeyParameters ask = Key(seed, "ASK");
        _vcek = Key(seed, "VCEK");
        byte[] chipId = new byte[64];
        HKDF.DeriveKey(HashAlgorithmName.SHA384, seed, chipId, [], "EnclaveGen emulated SNP chip id v1"u8);
        ChipId = chipId;
        _reportId = new byte[32];
        HKDF.DeriveKey(HashAlgorithmName.SHA384, seed, _reportId, [], "EnclaveGen emulated SNP report id v1"u8);

        var arkName = new X509Name($"CN={ArkCommonName},O={Organization}");
        var askName = new X509Name($"CN=SEV-Milan EMULATED,O={Organization}");
        ArkCertificateDer = Issue(arkName, arkName, ark, ark, 1, isCa: true, []);
        AskCertificateDer = Issue(askName, arkName, ask, ark, 2, isCa: true, []);
        VcekCertificateDer = Issue(new X509Name($"CN=SEV-VCEK,O={Organization}"), askName, _vcek, ask, 3, isCa: false, VcekExtensions(SnpProducts.Milan, s_tcb, chipId));
        TrustAnchor = TrustAnchor.ForSnp(ArkCertificateDer.Span, "EnclaveGen emulated ARK", isEmulated: true);
    }

    /// <summary>
    /// MEASUREMENT of the emulated VM: it stands for the launch digest of a VM image (firmware,
    /// kernel, initrd, command line), which the emulated VM does not have, so it is a fixed value:
    /// SHA-384 of "EnclaveGen emulated confidential VM image v1".
    /// </summary>
    public static ReadOnlyMemory<byte> EmulatedVmMeasurement { get; } = SHA384.HashData("EnclaveGen emulated confidential VM image v1"u8);

    /// <summary>The emulated ARK (DER), self-signed; its subject says it is emulated.</summary>
    public ReadOnlyMemory<byte> ArkCertificateDer { get; }

    /// <summary>The emulated ASK (DER), issued by the ARK.</summary>
    public ReadOnlyMemory<byte> AskCertificateDer { get; }

    /// <summary>The emulated VCEK (DER), issued by the ASK, with AMD's product name, TCB and hwID extensions.</summary>
    public ReadOnlyMemory<byte> VcekCertificateDer { get; }

    /// <summary>The emulated chip's CHIP_ID, the VCEK's hwID (64 bytes).</summary>
    public ReadOnlyMemory<byte> ChipId { get; }

    /// <summary>The emulated platform's TCB (CURRENT, REPORTED, COMMITTED and LAUNCH), as the VCEK certifies it.</summary>
    public static SnpTcbVersion Tcb => s_tcb;

    /// <summary>The anchor for this authority's reports, registered as emulated.</summary>
    public TrustAnchor TrustAnchor { get; }

    /// <summary>The certificates a verifier needs beside a report: the VCEK, then the ASK.</summary>
    public IReadOnlyList<byte[]> Certificates => [VcekCertificateDer.ToArray(), AskCertificateDer.ToArray()];

    /// <summary>Creates the authority a seed (at least 32 bytes of secret key material) stands for.</summary>
    public static EmulatedSnpAuthority Create(ReadOnlySpan<byte> seed)
    {
        if (seed.Length < 32)
        {
            throw new ArgumentException($"The seed is at least 32 bytes; got {seed.Length}.", nameof(seed));
        }

        return new EmulatedSnpAuthority(seed);
    }

    /// <summary>True when <paramref name="certificate"/> (DER) is an EnclaveGen emulated ARK: its subject common name is <see cref="ArkCommonName"/>.</summary>
    public static bool IsEmulatedArk(ReadOnlySpan<byte> certificate)
    {
        try
        {
            return ParsedCertificate.Parse(certificate.ToArray(), "ARK").Subject.GetValueList(X509Name.CN).Contains(ArkCommonName);
        }
        catch (AttestationException)
        {
            return false;
        }
    }

    /// <summary>The emulated anchor of an emulated ARK known only by its certificate (a relying party elsewhere).</summary>
    /// <exception cref="AttestationException">The certificate cannot be read, or it is not an emulated ARK.</exception>
    public static TrustAnchor CreateTrustAnchor(ReadOnlySpan<byte> arkCertificate)
    {
        IReadOnlyList<byte[]> certificates = TrustAnchor.ReadCertificates(arkCertificate);
        if (certificates.Count != 1 || !IsEmulatedArk(certificates[0]))
        {
            throw new AttestationException("emulation.root", $"expected one certificate whose subject is '{ArkCommonName}'", null);
        }

        return TrustAnchor.ForSnp(certificates[0], "EnclaveGen emulated ARK", isEmulated: true);
    }

    /// <summary>An SEV-SNP report (version 3, 1184 bytes) of the emulated VM at VMPL 0, signed by the emulated VCEK.</summary>
    /// <param name="reportData">REPORT_DATA (up to 64 bytes, zero-padded).</param>
    /// <param name="measurement">MEASUREMENT (48 bytes); by default <see cref="EmulatedVmMeasurement"/>.</param>
    /// <param name="hostData">HOST_DATA (up to 32 bytes, zero-padded), which the host sets at launch.</param>
    public byte[] CreateReport(ReadOnlySpan<byte> reportData, ReadOnlySpan<byte> measurement = default, ReadOnlySpan<byte> hostData = default)
    {
        if (reportData.Length > 64 || hostData.Length > 32 || (!measurement.IsEmpty && measurement.Length != 48))
        {
            throw new ArgumentException($"REPORT_DATA is up to 64 bytes (got {reportData.Length}), HOST_DATA up to 32 (got {hostData.Length}), MEASUREMENT 48 (got {measurement.Length}).");
        }

        byte[] report = new byte[SnpReport.Size];
        Span<byte> r = report;
        BinaryPrimitives.WriteUInt32LittleEndian(r, ReportVersion);
        BinaryPrimitives.WriteUInt64LittleEndian(r[0x08..], GuestPolicy);
        BinaryPrimitives.WriteUInt32LittleEndian(r[0x34..], SnpReport.SignatureAlgorithmEcdsaP384Sha384);
        BinaryPrimitives.WriteUInt64LittleEndian(r[0x38..], s_tcb.Raw);
        BinaryPrimitives.WriteUInt64LittleEndian(r[0x40..], 1); // PLATFORM_INFO: SMT enabled.
        reportData.CopyTo(r[0x50..]);
        (measurement.IsEmpty ? EmulatedVmMeasurement.Span : measurement).CopyTo(r[0x90..]);
        hostData.CopyTo(r[0xC0..]);
        _reportId.CopyTo(r[0x140..]);
        r.Slice(0x160, 32).Fill(0xFF); // REPORT_ID_MA: no migration agent.
        BinaryPrimitives.WriteUInt64LittleEndian(r[0x180..], s_tcb.Raw);
        r[0x188] = 0x19; // CPUID family 19h, model 01h, stepping 1: Milan.
        r[0x189] = 0x01;
        r[0x18A] = 0x01;
        ChipId.Span.CopyTo(r[0x1A0..]);
        BinaryPrimitives.WriteUInt64LittleEndian(r[0x1E0..], s_tcb.Raw);
        ReadOnlySpan<byte> firmware = [0x00, 0x37, 0x01]; // build 0, minor 55, major 1
        firmware.CopyTo(r[0x1E8..]);
        firmware.CopyTo(r[0x1EC..]);
        BinaryPrimitives.WriteUInt64LittleEndian(r[0x1F0..], s_tcb.Raw);

        // r and s, little-endian, each in a 72-byte field of which P-384 uses 48.
        BigInteger[] signature = Sign(_vcek, r[..SnpReport.SignedSize]);
        WriteLittleEndian(signature[0], r.Slice(SnpReport.SignedSize, 48));
        WriteLittleEndian(signature[1], r.Slice(SnpReport.SignedSize + 72, 48));
        return report;
    }

    private static ECPrivateKeyParameters Key(ReadOnlySpan<byte> seed, string name)
    {
        byte[] material = new byte[56];
        HKDF.DeriveKey(HashAlgorithmName.SHA384, seed, material, [], System.Text.Encoding.ASCII.GetBytes($"EnclaveGen emulated SNP {name} key v1"));
        BigInteger d = new BigInteger(1, material).Mod(s_curve.N.Subtract(BigInteger.One)).Add(BigInteger.One);
        CryptographicOperations.ZeroMemory(material);
        return new ECPrivateKeyParameters(d, s_curve);
    }

    private static BigInteger[] Sign(ECPrivateKeyParameters key, ReadOnlySpan<byte> data)
    {
        var signer = new ECDsaSigner(new HMacDsaKCalculator(new Sha384Digest()));
        signer.Init(true, key);
        return signer.GenerateSignature(SHA384.HashData(data));
    }

    private static void WriteLittleEndian(BigInteger value, Span<byte> destination)
    {
        byte[] bigEndian = value.ToByteArrayUnsigned();
        bigEndian.AsSpan().Reverse();
        destination.Clear();
        bigEndian.CopyTo(destination);
    }

    /// <summary>AMD's VCEK extensions: the product name, the TCB components of <paramref name="tcb"/> (Milan and Genoa layout) and the hwID.</summary>
    internal static IReadOnlyList<(string Oid, byte[] Value)> VcekExtensions(string product, SnpTcbVersion tcb, byte[] chipId) =>
    [
        ("1.3.6.1.4.1.3704.1.2", new DerIA5String(product).GetDerEncoded()),
        ("1.3.6.1.4.1.3704.1.3.1", DerInteger.ValueOf(tcb.BootLoader).GetDerEncoded()),
        ("1.3.6.1.4.1.3704.1.3.2", DerInteger.ValueOf(tcb.Tee).GetDerEncoded()),
        ("1.3.6.1.4.1.3704.1.3.3", DerInteger.ValueOf(tcb.Snp).GetDerEncoded()),
        ("1.3.6.1.4.1.3704.1.3.8", DerInteger.ValueOf(tcb.Microcode).GetDerEncoded()),
        ("1.3.6.1.4.1.3704.1.4", chipId),
    ];

    /// <summary>
    /// Issues an ECDSA-with-SHA-384 certificate from its TBS structure: AMD's hwID extension value is
    /// 64 raw bytes, not DER, which X509V3CertificateGenerator would wrap in an OCTET STRING.
    /// <paramref name="signTbs"/> signs the DER of the TBS certificate with the issuer's key and
    /// returns the DER ECDSA signature.
    /// </summary>
    internal static byte[] IssueCertificate(X509Name subject, X509Name issuer, byte[] subjectPublicKeyInfo, Func<byte[], byte[]> signTbs, BigInteger serial, DateTime notBefore, DateTime notAfter, bool isCa, IEnumerable<(string Oid, byte[] Value)> extensions)
    {
        var algorithm = new AlgorithmIdentifier(Org.BouncyCastle.Asn1.X9.X9ObjectIdentifiers.ECDsaWithSha384);
        var values = new X509ExtensionsGenerator();
        values.AddExtension(X509Extensions.BasicConstraints, true, new BasicConstraints(isCa));
        values.AddExtension(X509Extensions.KeyUsage, true, new KeyUsage(isCa ? KeyUsage.KeyCertSign | KeyUsage.CrlSign : KeyUsage.DigitalSignature));
        foreach ((string oid, byte[] value) in extensions)
        {
            values.AddExtension(new DerObjectIdentifier(oid), false, value);
        }

        var tbs = new V3TbsCertificateGenerator();
        tbs.SetSerialNumber(new DerInteger(serial));
        tbs.SetSignature(algorithm);
        tbs.SetIssuer(issuer);
        tbs.SetSubject(subject);
        tbs.SetStartDate(new Time(notBefore));
        tbs.SetEndDate(new Time(notAfter));
        tbs.SetSubjectPublicKeyInfo(SubjectPublicKeyInfo.GetInstance(subjectPublicKeyInfo));
        tbs.SetExtensions(values.Generate());
        TbsCertificateStructure structure = tbs.GenerateTbsCertificate();
        return new X509CertificateStructure(structure, algorithm, new DerBitString(signTbs(structure.GetDerEncoded()))).GetDerEncoded();
    }

    private static byte[] Issue(X509Name subject, X509Name issuer, ECPrivateKeyParameters subjectKey, ECPrivateKeyParameters issuerKey, long serial, bool isCa, IEnumerable<(string Oid, byte[] Value)> extensions)
    {
        var publicKey = new ECPublicKeyParameters(s_curve.G.Multiply(subjectKey.D).Normalize(), s_curve);
        byte[] spki = SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(publicKey).GetDerEncoded();
        return IssueCertificate(subject, issuer, spki, tbs =>
        {
            BigInteger[] signature = Sign(issuerKey, tbs);
            return new DerSequence(new DerInteger(signature[0]), new DerInteger(signature[1])).GetDerEncoded();
        }, BigInteger.ValueOf(serial), s_notBefore, s_notAfter, isCa, extensions);
    }
}
