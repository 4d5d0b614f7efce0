using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using EnclaveGen.Attestation.Pem;
using EnclaveGen.Attestation.Verification;
using EnclaveGen.Attestation.X509;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;

namespace EnclaveGen.Attestation.Emulation;

/// <summary>
/// The emulated authority's collateral, in Intel's formats, as Intel's PCS publishes it: CRLs of
/// the root and PCK CA, TCB info (SGX or TDX) for the PCK certificate's FMSPC and PCE ID, and the
/// QE identity, signed by an emulated TCB Signing certificate under the emulated root.
/// </summary>
public sealed partial class EmulatedAttestationAuthority
{
    /// <summary>
    /// Issues a CRL, as Intel's PCS publishes the root CA and PCK CA CRLs: signed by the emulated
    /// root (<paramref name="byRoot"/>) or the PCK CA, listing <paramref name="revokedCertificates"/>
    /// (DER) as revoked at <paramref name="thisUpdate"/>.
    /// </summary>
    public byte[] CreateCrl(bool byRoot, IEnumerable<ReadOnlyMemory<byte>> revokedCertificates, DateTimeOffset thisUpdate, DateTimeOffset nextUpdate)
    {
        ArgumentNullException.ThrowIfNull(revokedCertificates);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var issuer = ParsedCertificate.Parse((byRoot ? RootCertificateDer : PckCaCertificateDer).ToArray(), "issuer");
        var generator = new X509V2CrlGenerator();
        generator.SetIssuerDN(issuer.Subject);
        generator.SetThisUpdate(TruncateToSeconds(thisUpdate));
        generator.SetNextUpdate(TruncateToSeconds(nextUpdate));
        foreach (ReadOnlyMemory<byte> der in revokedCertificates)
        {
            var revoked = ParsedCertificate.Parse(der.ToArray(), "revoked");
            generator.AddCrlEntry(revoked.Certificate.SerialNumber, TruncateToSeconds(thisUpdate), CrlReason.KeyCompromise);
        }

        generator.AddExtension(X509Extensions.CrlNumber, false, new CrlNumber(BigInteger.One));
        AsymmetricKeyParameter key = PrivateKeyFactory.CreateKey(_privateKeysPkcs8[byRoot ? 0 : 1]);
        return generator.Generate(new Asn1SignatureFactory("SHA256WITHECDSA", key, new SecureRandom())).GetEncoded();
    }

    /// <summary>Issues QE identity collateral (Intel's version 2 format) for this authority's quoting enclave.</summary>
    /// <param name="validity">When it is current, and who signs it.</param>
    /// <param name="levels">The levels, in the order written (Intel's QVL takes the first one the QE's ISVSVN reaches).</param>
    /// <param name="tdx">True for the TDX quoting enclave's identity (<c>TD_QE</c>), false for SGX (<c>QE</c>).</param>
    public QeIdentityCollateral CreateQeIdentityCollateral(EmulatedCollateralValidity validity, IEnumerable<EmulatedSvnLevel> levels, bool tdx = false)
    {
        ArgumentNullException.ThrowIfNull(validity);
        ArgumentNullException.ThrowIfNull(levels);
        byte[] json = WriteJson(w =>
        {
            w.WriteString("id", tdx ? "TD_QE" : "QE");
            w.WriteNumber("version", 2);
            WriteValidity(w, validity);
            w.WriteString("miscselect", "00000000");
            w.WriteString("miscselectMask", "FFFFFFFF");
            w.WriteString("attributes", "11000000000000000000000000000000");
            w.WriteString("attributesMask", "FBFFFFFFFFFFFFFF0000000000000000");
            w.WriteString("mrsigner", Convert.ToHexString(QeMrSigner.Span));
            w.WriteNumber("isvprodid", QeProductId);
            WriteSvnLevels(w, levels, validity);
        });
        (byte[] signature, byte[][] chain) = SignCollateral(json, validity);
        return new QeIdentityCollateral(json, signature, chain);
    }

    /// <summary>Issues TCB info (Intel's version 3 format) for this authority's FMSPC and PCE ID.</summary>
    /// <param name="validity">When it is current, and who signs it.</param>
    /// <param name="levels">The levels (Intel's QVL orders them itself).</param>
    /// <param name="tdx">For TDX TCB info (<c>id</c> TDX): the module's expected signer and identities; null for SGX TCB info.</param>
    public TcbInfoCollateral CreateTcbInfoCollateral(EmulatedCollateralValidity validity, IEnumerable<EmulatedTcbLevel> levels, EmulatedTdxModule? tdx = null)
    {
        ArgumentNullException.ThrowIfNull(validity);
        ArgumentNullException.ThrowIfNull(levels);
        ObjectDisposedException.ThrowIf(_disposed, this);
        PckCertificateInfo pck = PckCertificateInfo.Read(ParsedCertificate.Parse(PckCertificateDer.ToArray(), "PCK"))
            ?? throw new InvalidOperationException("The emulated PCK certificate has no SGX extension.");
        byte[] json = WriteJson(w =>
        {
            w.WriteString("id", tdx is null ? "SGX" : "TDX");
            w.WriteNumber("version", 3);
            WriteValidity(w, validity);
            w.WriteString("fmspc", Convert.ToHexString(pck.Fmspc.Span));
            w.WriteString("pceId", Convert.ToHexString(pck.PceId.Span));
            w.WriteNumber("tcbType", 0);
            if (tdx is not null)
            {
                w.WriteStartObject("tdxModule");
                w.WriteString("mrsigner", Convert.ToHexString(tdx.MrSigner.Span));
                w.WriteString("attributes", "0000000000000000");
                w.WriteString("attributesMask", "FFFFFFFFFFFFFFFF");
                w.WriteEndObject();
                w.WriteStartArray("tdxModuleIdentities");
                foreach ((string id, IReadOnlyList<EmulatedSvnLevel> moduleLevels) in tdx.Identities)
                {
                    w.WriteStartObject();
                    w.WriteString("id", id);
                    w.WriteString("mrsigner", Convert.ToHexString(tdx.MrSigner.Span));
                    w.WriteString("attributes", "0000000000000000");
                    w.WriteString("attributesMask", "FFFFFFFFFFFFFFFF");
                    WriteSvnLevels(w, moduleLevels, validity);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
            }

            w.WriteStartArray("tcbLevels");
            foreach (EmulatedTcbLevel level in levels)
            {
                w.WriteStartObject();
                w.WriteStartObject("tcb");
                WriteComponents(w, "sgxtcbcomponents", level.SgxComponents);
                w.WriteNumber("pcesvn", level.PceSvn);
                if (tdx is not null)
                {
                    WriteComponents(w, "tdxtcbcomponents", level.TdxComponents ?? new byte[16]);
                }

                w.WriteEndObject();
                WriteStatus(w, level.TcbDate ?? validity.IssueDate, level.Status, level.AdvisoryIds);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        });
        (byte[] signature, byte[][] chain) = SignCollateral(json, validity);
        return new TcbInfoCollateral(json, signature, chain);
    }

    /// <summary>
    /// Writes collateral in the nine-field JSON layout open-source DCAP verifiers use
    /// (<see cref="DcapCollateralJson"/>): the root CA CRL and PCK CRL of <paramref name="collateral"/>
    /// (its first two CRLs), its TCB info and QE identity, and this authority's chains.
    /// </summary>
    public string WriteQuoteCollateralJson(AttestationCollateral collateral)
    {
        ArgumentNullException.ThrowIfNull(collateral);
        if (collateral.Crls.Count < 2 || collateral.TcbInfo is not { } tcbInfo || collateral.QeIdentity is not { } qeIdentity)
        {
            throw new ArgumentException("The nine-field layout needs the root CA CRL, the PCK CRL, the TCB info and the QE identity.", nameof(collateral));
        }

        static string Pem(IEnumerable<byte[]> chain) => Encoding.ASCII.GetString(StrictPem.EncodeCertificates(chain, trailingNul: false));
        byte[] json = WriteJson(w =>
        {
            w.WriteString("pck_crl_issuer_chain", Pem([PckCaCertificateDer.ToArray(), RootCertificateDer.ToArray()]));
            w.WriteString("root_ca_crl", Convert.ToHexStringLower(collateral.Crls[0]));
            w.WriteString("pck_crl", Convert.ToHexStringLower(collateral.Crls[1]));
            w.WriteString("tcb_info_issuer_chain", Pem(tcbInfo.SigningChainDer));
            w.WriteString("tcb_info", Encoding.UTF8.GetString(tcbInfo.SignedJson.Span));
            w.WriteString("tcb_info_signature", Convert.ToHexStringLower(tcbInfo.Signature.Span));
            w.WriteString("qe_identity_issuer_chain", Pem(qeIdentity.SigningChainDer));
            w.WriteString("qe_identity", Encoding.UTF8.GetString(qeIdentity.SignedJson.Span));
            w.WriteString("qe_identity_signature", Convert.ToHexStringLower(qeIdentity.Signature.Span));
        });
        return Encoding.UTF8.GetString(json);
    }

    /// <summary>Signs any bytes as the emulated TCB Signing certificate signs collateral, for tests of what the verifier does with well-signed but wrong JSON.</summary>
    internal (byte[] Signature, byte[][] Chain) SignCollateralForTests(byte[] signedJson) => SignCollateral(signedJson, new EmulatedCollateralValidity(DateTimeOffset.MinValue, DateTimeOffset.MaxValue));

    /// <summary>Signs collateral JSON with a fresh signing certificate under the root (the TCB Signing certificate unless the validity names another signer).</summary>
    private (byte[] Signature, byte[][] Chain) SignCollateral(byte[] signedJson, EmulatedCollateralValidity validity)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using ECDsa signingKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var root = ParsedCertificate.Parse(RootCertificateDer.ToArray(), "root");
        AsymmetricKeyParameter rootPrivate = PrivateKeyFactory.CreateKey(_privateKeysPkcs8[0]);
        AsymmetricKeyParameter signingPublic = PublicKeyFactory.CreateKey(signingKey.ExportSubjectPublicKeyInfo());
        AsymmetricKeyParameter rootPublic = PublicKeyFactory.CreateKey(root.SubjectPublicKeyInfo);
        X509Name subject = validity.SignerCommonName is { } cn ? new X509Name($"CN={cn},O={Organization}") : new X509Name(TcbSigningSubject);
        byte[] signingCertificate = Issue(subject, root.Subject, signingPublic, rootPublic, rootPrivate,
            isCa: false, pathLength: null, new DateTimeOffset(root.Certificate.NotBefore, TimeSpan.Zero), new DateTimeOffset(root.Certificate.NotAfter, TimeSpan.Zero), new SecureRandom());
        byte[] signature = signingKey.SignData(signedJson, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return (signature, [signingCertificate, RootCertificateDer.ToArray()]);
    }

    private static byte[] WriteJson(Action<Utf8JsonWriter> body)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        return stream.ToArray();
    }

    private static string Date(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    private static void WriteValidity(Utf8JsonWriter w, EmulatedCollateralValidity validity)
    {
        w.WriteString("issueDate", Date(validity.IssueDate));
        w.WriteString("nextUpdate", Date(validity.NextUpdate));
        w.WriteNumber("tcbEvaluationDataNumber", validity.TcbEvaluationDataNumber);
    }

    private static void WriteSvnLevels(Utf8JsonWriter w, IEnumerable<EmulatedSvnLevel> levels, EmulatedCollateralValidity validity)
    {
        w.WriteStartArray("tcbLevels");
        foreach (EmulatedSvnLevel level in levels)
        {
            w.WriteStartObject();
            w.WriteStartObject("tcb");
            w.WriteNumber("isvsvn", level.IsvSvn);
            w.WriteEndObject();
            WriteStatus(w, level.TcbDate ?? validity.IssueDate, level.Status, level.AdvisoryIds);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static void WriteStatus(Utf8JsonWriter w, DateTimeOffset tcbDate, string status, IReadOnlyList<string> advisories)
    {
        w.WriteString("tcbDate", Date(tcbDate));
        w.WriteString("tcbStatus", status);
        if (advisories.Count > 0)
        {
            w.WriteStartArray("advisoryIDs");
            foreach (string id in advisories)
            {
                w.WriteStringValue(id);
            }

            w.WriteEndArray();
        }
    }

    private static void WriteComponents(Utf8JsonWriter w, string name, ReadOnlyMemory<byte> components)
    {
        if (components.Length != 16)
        {
            throw new ArgumentException($"A TCB level has 16 {name}, not {components.Length}.", nameof(components));
        }

        w.WriteStartArray(name);
        foreach (byte svn in components.Span)
        {
            w.WriteStartObject();
            w.WriteNumber("svn", svn);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }
}
