using System.Buffers;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using EnclaveGen.Attestation.Formats;
using EnclaveGen.Attestation.Pem;
using EnclaveGen.Attestation.Verification;
using EnclaveGen.Attestation.X509;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;
using Org.BouncyCastle.X509.Extension;

namespace EnclaveGen.Attestation.Emulation;

/// <summary>
/// The emulated platform's attestation authority: an emulated root CA, a PCK CA and a PCK leaf
/// certificate (ECDSA P-256, made with BouncyCastle), a quoting-enclave attestation key, and the
/// quoting enclave's report signed by the PCK key, with REPORTDATA = SHA-256(attestation key ||
/// QE auth data) as real DCAP does. It turns an enclave's SGX report body into a DCAP v3 quote
/// that <see cref="AttestationVerifier"/> checks with the same code as a real quote, under
/// <see cref="TrustAnchor"/> (registered as emulated, so the claims say <c>IsEmulated</c>).
/// </summary>
/// <remarks>
/// The root's subject says it is emulated. <see cref="ExportPemUtf8"/> and <see cref="ImportPemUtf8"/>
/// persist the authority (certificates and PKCS#8 private keys) for a per-user platform store
/// without turning a key into a <see cref="string"/> (the caller zeroes the bytes);
/// the export holds private keys and must be stored with owner-only permissions. Instances are
/// thread-safe. Dispose to release the keys.
/// </remarks>
public sealed partial class EmulatedAttestationAuthority : IDisposable
{
    /// <summary>The common name of every emulated root: it says it is emulated.</summary>
    public const string RootCommonName = "EnclaveGen EMULATED SGX Root CA - NOT FOR PRODUCTION";

    private const string Organization = "EnclaveGen emulated platform - no hardware protection";

    /// <summary>The subject of the emulated TCB Signing certificate, the only signer of collateral an emulated anchor accepts.</summary>
    public const string TcbSigningSubject = "CN=EnclaveGen EMULATED SGX TCB Signing,O=" + Organization;

    /// <summary>The emulated quoting enclave's MRENCLAVE.</summary>
    public static readonly ReadOnlyMemory<byte> QeMrEnclave = SHA256.HashData("EnclaveGen emulated quoting enclave v1"u8);

    /// <summary>The emulated quoting enclave's MRSIGNER.</summary>
    public static readonly ReadOnlyMemory<byte> QeMrSigner = SHA256.HashData("EnclaveGen emulated quoting enclave signer"u8);

    /// <summary>The emulated QE vendor ID in quote headers (distinct from Intel's).</summary>
    public static readonly ReadOnlyMemory<byte> QeVendorId = SHA256.HashData("EnclaveGen emulated QE vendor"u8).AsMemory(0, 16);

    /// <summary>The emulated quoting enclave's ISVPRODID (as Intel's QE3).</summary>
    public const ushort QeProductId = 1;

    private static readonly byte[] s_qeAuthData = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();

    private readonly Lock _signLock = new();
    private readonly ECDsa _pckKey;
    private readonly ECDsa _attestationKey;
    private readonly byte[][] _privateKeysPkcs8;
    private readonly byte[] _attestationKeyXy;
    private readonly byte[] _qeReport;
    private readonly byte[] _qeReportSignature;
    private readonly byte[] _certificationData;
    private readonly byte[] _userData;
    private bool _disposed;

    private EmulatedAttestationAuthority(byte[] rootDer, byte[] pckCaDer, byte[] pckDer, byte[][] privateKeysPkcs8, ushort qeSvn, ushort pceSvn)
    {
        RootCertificateDer = rootDer;
        PckCaCertificateDer = pckCaDer;
        PckCertificateDer = pckDer;
        _privateKeysPkcs8 = privateKeysPkcs8;
        QeSvn = qeSvn;
        PceSvn = pceSvn;
        _pckKey = ImportKey(privateKeysPkcs8[2]);
        _attestationKey = ImportKey(privateKeysPkcs8[3]);

        ECParameters ak = _attestationKey.ExportParameters(false);
        _attestationKeyXy = [.. ak.Q.X!, .. ak.Q.Y!];
        QuotingEnclaveIdentity = new QuotingEnclaveIdentity(QeMrSigner, QeProductId, qeSvn, QeVendorId);
        TrustAnchor = TrustAnchor.ForSgx(rootDer, "EnclaveGen emulated SGX root", isEmulated: true, QuotingEnclaveIdentity, collateralSignerSubject: TcbSigningSubject);

        // The quoting enclave's report, made once for this attestation key as the real QE does.
        byte[] reportData = new byte[64];
        SHA256.HashData([.. _attestationKeyXy, .. s_qeAuthData], reportData);
        QeReport = new SgxReportBody
        {
            Attributes = new SgxAttributes(SgxAttributes.Init | SgxAttributes.Mode64Bit | SgxAttributes.ProvisionKey, 0x7),
            MrEnclave = QeMrEnclave,
            MrSigner = QeMrSigner,
            IsvProdId = QeProductId,
            IsvSvn = qeSvn,
            ReportData = reportData,
        };
        _qeReport = QeReport.ToBytes();
        _qeReportSignature = _pckKey.SignData(_qeReport, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        _certificationData = StrictPem.EncodeCertificates([pckDer, pckCaDer, rootDer], trailingNul: true);
        byte[] userData = new byte[20];
        SHA256.HashData(pckDer).AsSpan(0, 16).CopyTo(userData);
        _userData = userData;
    }

    /// <summary>The emulated root CA certificate (DER). Its subject says it is emulated.</summary>
    public ReadOnlyMemory<byte> RootCertificateDer { get; }

    /// <summary>The emulated PCK CA certificate (DER).</summary>
    public ReadOnlyMemory<byte> PckCaCertificateDer { get; }

    /// <summary>The emulated PCK leaf certificate (DER).</summary>
    public ReadOnlyMemory<byte> PckCertificateDer { get; }

    /// <summary>The emulated quoting enclave's report body (its REPORTDATA binds the attestation key).</summary>
    public SgxReportBody QeReport { get; }

    /// <summary>The emulated quoting enclave's identity, as the trust anchor expects it.</summary>
    public QuotingEnclaveIdentity QuotingEnclaveIdentity { get; }

    /// <summary>The QE SVN of this authority.</summary>
    public ushort QeSvn { get; }

    /// <summary>The PCE SVN of this authority.</summary>
    public ushort PceSvn { get; }

    /// <summary>The trust anchor for this authority's quotes, registered as emulated.</summary>
    public TrustAnchor TrustAnchor { get; }

    /// <summary>The attestation public key, x||y (64 bytes).</summary>
    public ReadOnlyMemory<byte> AttestationPublicKey => _attestationKeyXy;

    /// <summary>True when <paramref name="certificate"/> (DER) is an EnclaveGen emulated root: its subject common name is <see cref="RootCommonName"/>.</summary>
    public static bool IsEmulatedRoot(ReadOnlySpan<byte> certificate)
    {
        try
        {
            var parsed = ParsedCertificate.Parse(certificate.ToArray(), "root");
            return parsed.Subject.GetValueList(X509Name.CN).Contains(RootCommonName);
        }
        catch (AttestationException)
        {
            return false;
        }
    }

    /// <summary>
    /// The trust anchor for quotes under an emulated root known only by its certificate (for a
    /// relying party that has the root but not the authority): registered as emulated, with the
    /// emulated quoting enclave's identity and no minimum QE SVN.
    /// </summary>
    /// <exception cref="AttestationException">The certificate cannot be read, or its subject is not an emulated root's.</exception>
    public static TrustAnchor CreateTrustAnchor(ReadOnlySpan<byte> rootCertificate)
    {
        IReadOnlyList<byte[]> certificates = TrustAnchor.ReadCertificates(rootCertificate);
        if (certificates.Count != 1 || !IsEmulatedRoot(certificates[0]))
        {
            throw new AttestationException("emulation.root", $"expected one certificate whose subject is '{RootCommonName}'", null);
        }

        return TrustAnchor.ForSgx(certificates[0], "EnclaveGen emulated SGX root", isEmulated: true, new QuotingEnclaveIdentity(QeMrSigner, QeProductId, 0, QeVendorId), collateralSignerSubject: TcbSigningSubject);
    }

    /// <summary>Creates a new authority with fresh keys.</summary>
    public static EmulatedAttestationAuthority Create(EmulatedAuthorityOptions? options = null)
    {
        options ??= new EmulatedAuthorityOptions();
        DateTimeOffset notBefore = options.NotBefore ?? DateTimeOffset.UtcNow.AddHours(-1);
        DateTimeOffset notAfter = notBefore + options.Validity;
        if (options.Validity <= TimeSpan.Zero)
        {
            throw new ArgumentException("The validity must be positive.", nameof(options));
        }

        byte[][] keys = new byte[4][];
        for (int i = 0; i < keys.Length; i++)
        {
            using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            keys[i] = key.ExportPkcs8PrivateKey();
        }

        var random = new SecureRandom();
        var rootName = new X509Name($"CN={RootCommonName},O={Organization}");
        var caName = new X509Name($"CN=EnclaveGen EMULATED SGX PCK {(options.PlatformCa ? "Platform" : "Processor")} CA,O={Organization}");
        var pckName = new X509Name($"CN=EnclaveGen EMULATED SGX PCK Certificate,O={Organization}");
        AsymmetricKeyParameter rootPrivate = PrivateKeyFactory.CreateKey(keys[0]);
        AsymmetricKeyParameter caPrivate = PrivateKeyFactory.CreateKey(keys[1]);
        AsymmetricKeyParameter rootPublic = PublicOf(keys[0]);
        AsymmetricKeyParameter caPublic = PublicOf(keys[1]);
        AsymmetricKeyParameter pckPublic = PublicOf(keys[2]);

        if (options.PckTcbComponents.Length != 16 || options.Fmspc.Length != 6)
        {
            throw new ArgumentException("The PCK TCB has 16 components and the FMSPC 6 bytes.", nameof(options));
        }

        byte[] ppid = new byte[16];
        random.NextBytes(ppid);
        byte[] sgxExtension = PckCertificateInfo.Encode(ppid, options.PckTcbComponents.Span, options.PceSvn, options.PckTcbComponents.Span, [0, 0], options.Fmspc.Span);
        byte[] root = Issue(rootName, rootName, rootPublic, rootPublic, rootPrivate, isCa: true, pathLength: 1, notBefore, notAfter, random);
        byte[] ca = Issue(caName, rootName, caPublic, rootPublic, rootPrivate, isCa: true, pathLength: 0, notBefore, notAfter, random);
        byte[] pck = Issue(pckName, caName, pckPublic, caPublic, caPrivate, isCa: false, pathLength: null, notBefore, notAfter, random, sgxExtension);
        return new EmulatedAttestationAuthority(root, ca, pck, keys, options.QeSvn, options.PceSvn);
    }

    /// <summary>Turns an enclave's report body into a DCAP quote (version 3) signed by the emulated quoting enclave.</summary>
    public byte[] CreateQuote(SgxReportBody enclaveReport) => CreateQuote(enclaveReport, SgxQuote.Version3);

    /// <summary>Turns an enclave's report body into a DCAP quote of <paramref name="version"/> (3, 4 or 5) signed by the emulated quoting enclave.</summary>
    public byte[] CreateQuote(SgxReportBody enclaveReport, ushort version)
    {
        ArgumentNullException.ThrowIfNull(enclaveReport);
        ArgumentOutOfRangeException.ThrowIfLessThan(version, SgxQuote.Version3);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(version, SgxQuote.Version5);
        ObjectDisposedException.ThrowIf(_disposed, this);
        byte[] signed = SgxQuote.CreateSignedPart(version, QeSvn, PceSvn, QeVendorId.Span, _userData, enclaveReport.ToBytes());
        byte[] signature;
        lock (_signLock)
        {
            signature = _attestationKey.SignData(signed, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        }

        return SgxQuote.Serialize(version, signed, signature, _attestationKeyXy, _qeReport, _qeReportSignature, s_qeAuthData, _certificationData);
    }

    /// <summary>
    /// Turns a TD report body into a TDX v4 quote signed by the emulated quoting enclave (the same QE
    /// report and PCK chain as SGX quotes, nested in certification data type 6).
    /// </summary>
    public byte[] CreateTdxQuote(TdxReportBody tdReport)
    {
        ArgumentNullException.ThrowIfNull(tdReport);
        ObjectDisposedException.ThrowIf(_disposed, this);
        byte[] header = TdxQuote.CreateHeader(0, 0, QeVendorId.Span, _userData);
        byte[] body = tdReport.ToBytes();
        byte[] signed = [.. header, .. body];
        byte[] signature;
        lock (_signLock)
        {
            signature = _attestationKey.SignData(signed, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        }

        byte[] certification = DcapQuoteSignature.Write(_qeReport, _qeReportSignature, s_qeAuthData, _certificationData);
        return TdxQuote.Serialize(header, body, signature, _attestationKeyXy, certification);
    }

    /// <summary>
    /// Exports the authority as PEM: the root, PCK CA and PCK certificates, then the PKCS#8 private
    /// keys of the root, PCK CA, PCK and attestation key, then the QE and PCE SVNs. It contains
    /// private keys: store it with owner-only permissions.
    /// </summary>
    public string ExportPem()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var sb = new StringBuilder();
        sb.Append(PemEncoding.WriteString("CERTIFICATE", RootCertificateDer.Span)).Append('\n');
        sb.Append(PemEncoding.WriteString("CERTIFICATE", PckCaCertificateDer.Span)).Append('\n');
        sb.Append(PemEncoding.WriteString("CERTIFICATE", PckCertificateDer.Span)).Append('\n');
        foreach (byte[] key in _privateKeysPkcs8)
        {
            sb.Append(PemEncoding.WriteString("PRIVATE KEY", key)).Append('\n');
        }

        byte[] svns = [(byte)QeSvn, (byte)(QeSvn >> 8), (byte)PceSvn, (byte)(PceSvn >> 8)];
        sb.Append(PemEncoding.WriteString("ENCLAVEGEN EMULATED SVNS", svns)).Append('\n');
        return sb.ToString();
    }

    /// <summary>
    /// <see cref="ExportPem"/> as UTF-8 bytes, written without an intermediate <see cref="string"/>
    /// (one would keep the private keys in memory until the GC reuses it). Zero the bytes when done.
    /// </summary>
    public byte[] ExportPemUtf8()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        byte[] svns = [(byte)QeSvn, (byte)(QeSvn >> 8), (byte)PceSvn, (byte)(PceSvn >> 8)];
        List<(string Label, ReadOnlyMemory<byte> Data)> blocks = [("CERTIFICATE", RootCertificateDer), ("CERTIFICATE", PckCaCertificateDer), ("CERTIFICATE", PckCertificateDer)];
        blocks.AddRange(_privateKeysPkcs8.Select(key => ("PRIVATE KEY", (ReadOnlyMemory<byte>)key)));
        blocks.Add(("ENCLAVEGEN EMULATED SVNS", svns));
        char[] text = new char[blocks.Sum(block => PemEncoding.GetEncodedSize(block.Label.Length, block.Data.Length) + 1)];
        try
        {
            int at = 0;
            foreach ((string label, ReadOnlyMemory<byte> data) in blocks)
            {
                at += PemEncoding.TryWrite(label, data.Span, text.AsSpan(at), out int written) ? written : throw new InvalidOperationException("The PEM buffer was sized too small.");
                text[at++] = '\n';
            }

            return Encoding.ASCII.GetBytes(text, 0, at);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(text.AsSpan()));
        }
    }

    /// <summary>Imports an authority exported by <see cref="ExportPem"/>, checking that each key matches its certificate and the chain's signatures.</summary>
    /// <exception cref="AttestationException">The text is not a complete, consistent export.</exception>
    public static EmulatedAttestationAuthority ImportPem(string pem)
    {
        ArgumentNullException.ThrowIfNull(pem);
        return ImportPem(pem.AsSpan());
    }

    /// <summary>Imports an authority from the UTF-8 bytes <see cref="ExportPemUtf8"/> wrote; the text is decoded into a buffer that is zeroed afterwards.</summary>
    /// <exception cref="AttestationException">The text is not a complete, consistent export.</exception>
    public static EmulatedAttestationAuthority ImportPemUtf8(ReadOnlySpan<byte> pem)
    {
        char[] text = ArrayPool<char>.Shared.Rent(Math.Max(1, pem.Length));
        try
        {
            int length = Encoding.UTF8.GetChars(pem, text);
            return ImportPem(text.AsSpan(0, length));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(text.AsSpan()));
            ArrayPool<char>.Shared.Return(text);
        }
    }

    /// <summary>Imports an authority from PEM text held in a span (see <see cref="ImportPem(string)"/>).</summary>
    /// <exception cref="AttestationException">The text is not a complete, consistent export.</exception>
    public static EmulatedAttestationAuthority ImportPem(ReadOnlySpan<char> pem)
    {
        string[] expected = ["CERTIFICATE", "CERTIFICATE", "CERTIFICATE", "PRIVATE KEY", "PRIVATE KEY", "PRIVATE KEY", "PRIVATE KEY", "ENCLAVEGEN EMULATED SVNS"];
        var blocks = new List<byte[]>();
        ReadOnlySpan<char> rest = pem;
        foreach (string label in expected)
        {
            if (!PemEncoding.TryFind(rest, out PemFields fields))
            {
                throw new AttestationException("emulation.import", $"the emulated authority export ends before its '{label}' block", null);
            }

            ReadOnlySpan<char> found = rest[fields.Label];
            if (!found.SequenceEqual(label))
            {
                throw new AttestationException("emulation.import", $"expected a '{label}' block, found '{found}'", null);
            }

            byte[] block = new byte[fields.DecodedDataLength];
            if (!Convert.TryFromBase64Chars(rest[fields.Base64Data], block, out int decoded) || decoded != block.Length)
            {
                throw new AttestationException("emulation.import", $"the '{label}' block is not base64", null);
            }

            blocks.Add(block);
            rest = rest[fields.Location.End.Value..];
        }

        if (!rest.IsWhiteSpace())
        {
            throw new AttestationException("emulation.import", "unexpected text after the emulated authority's last block", null);
        }

        byte[][] certificates = [blocks[0], blocks[1], blocks[2]];
        byte[][] keys = [blocks[3], blocks[4], blocks[5], blocks[6]];
        if (blocks[7].Length != 4)
        {
            throw new AttestationException("emulation.import", "the SVN block must be 4 bytes", null);
        }

        var parsed = certificates.Select((der, i) => ParsedCertificate.Parse(der, i switch { 0 => "emulated root", 1 => "emulated PCK CA", _ => "emulated PCK" })).ToArray();
        for (int i = 0; i < 3; i++)
        {
            using ECDsa key = ImportKey(keys[i]);
            if (!key.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(parsed[i].SubjectPublicKeyInfo))
            {
                throw new AttestationException("emulation.import", $"private key {i} does not match its certificate", null);
            }
        }

        // Root, PCK CA, PCK: each is signed by the one before it (the root by itself).
        for (int i = 0; i < 3; i++)
        {
            string? problem = SignatureChecks.CheckCertificateSignature(parsed[i], parsed[Math.Max(0, i - 1)].SubjectPublicKeyInfo);
            if (problem is not null)
            {
                throw new AttestationException("emulation.import", $"the emulated certificate {i} does not verify: {problem}", null);
            }
        }

        ushort qeSvn = (ushort)(blocks[7][0] | (blocks[7][1] << 8));
        ushort pceSvn = (ushort)(blocks[7][2] | (blocks[7][3] << 8));
        return new EmulatedAttestationAuthority(certificates[0], certificates[1], certificates[2], keys, qeSvn, pceSvn);
    }

    /// <summary>Releases the keys and zeroes their encodings.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _pckKey.Dispose();
        _attestationKey.Dispose();
        foreach (byte[] key in _privateKeysPkcs8)
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    private static ECDsa ImportKey(byte[] pkcs8)
    {
        var key = ECDsa.Create();
        try
        {
            key.ImportPkcs8PrivateKey(pkcs8, out int read);
            if (read != pkcs8.Length || key.KeySize != 256)
            {
                throw new AttestationException("emulation.import", "an emulated key must be one ECDSA P-256 PKCS#8 private key", null);
            }

            return key;
        }
        catch (CryptographicException e)
        {
            key.Dispose();
            throw new AttestationException("emulation.import", "an emulated key is not a valid PKCS#8 private key", e);
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    private static AsymmetricKeyParameter PublicOf(byte[] pkcs8)
    {
        using ECDsa key = ImportKey(pkcs8);
        return PublicKeyFactory.CreateKey(key.ExportSubjectPublicKeyInfo());
    }

    private static byte[] Issue(X509Name subject, X509Name issuer, AsymmetricKeyParameter subjectKey, AsymmetricKeyParameter issuerPublic, AsymmetricKeyParameter issuerPrivate,
        bool isCa, int? pathLength, DateTimeOffset notBefore, DateTimeOffset notAfter, SecureRandom random, byte[]? sgxExtension = null)
    {
        var generator = new X509V3CertificateGenerator();
        byte[] serial = new byte[16];
        random.NextBytes(serial);
        serial[0] &= 0x7F;
        serial[0] |= 0x01;
        generator.SetSerialNumber(new BigInteger(1, serial));
        generator.SetIssuerDN(issuer);
        generator.SetSubjectDN(subject);
        generator.SetNotBefore(TruncateToSeconds(notBefore));
        generator.SetNotAfter(TruncateToSeconds(notAfter));
        generator.SetPublicKey(subjectKey);
        generator.AddExtension(X509Extensions.BasicConstraints, true, isCa ? (pathLength is { } p ? new BasicConstraints(p) : new BasicConstraints(true)) : new BasicConstraints(false));
        generator.AddExtension(X509Extensions.KeyUsage, true, new KeyUsage(isCa ? KeyUsage.KeyCertSign | KeyUsage.CrlSign : KeyUsage.DigitalSignature | KeyUsage.NonRepudiation));
        generator.AddExtension(X509Extensions.SubjectKeyIdentifier, false, X509ExtensionUtilities.CreateSubjectKeyIdentifier(subjectKey));
        generator.AddExtension(X509Extensions.AuthorityKeyIdentifier, false, X509ExtensionUtilities.CreateAuthorityKeyIdentifier(issuerPublic));
        if (sgxExtension is not null)
        {
            generator.AddExtension(new Org.BouncyCastle.Asn1.DerObjectIdentifier(PckCertificateInfo.ExtensionOid), false, Org.BouncyCastle.Asn1.Asn1Object.FromByteArray(sgxExtension));
        }

        X509Certificate certificate = generator.Generate(new Asn1SignatureFactory("SHA256WITHECDSA", issuerPrivate, random));
        return certificate.GetEncoded();
    }

    private static DateTime TruncateToSeconds(DateTimeOffset time) =>
        new(time.UtcTicks - (time.UtcTicks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
}
