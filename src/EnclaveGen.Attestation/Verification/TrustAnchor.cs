using System.Reflection;
using EnclaveGen.Attestation.Pem;
using EnclaveGen.Attestation.X509;
using Org.BouncyCastle.Asn1.X509;

namespace EnclaveGen.Attestation.Verification;

/// <summary>
/// A root certificate the verifier trusts for one kind of evidence. An anchor registered as
/// emulated makes every piece of evidence that chains to it report <c>IsEmulated = true</c>.
/// </summary>
/// <remarks>
/// Built in: the Intel SGX Root CA (DCAP quotes) and AMD's root keys for Milan, Genoa and Turin
/// (SEV-SNP reports), each AMD root with its embedded ASK and ASVK, the intermediates of VCEK and
/// VLEK certificates. <see cref="Defaults"/> trusts all four and nothing emulated.
/// </remarks>
public sealed class TrustAnchor
{
    /// <summary>The subject of Intel's TCB Signing certificate, the only signer of Intel's TCB info and QE identity.</summary>
    public const string IntelTcbSigningSubject = "CN=Intel SGX TCB Signing, O=Intel Corporation, L=Santa Clara, ST=CA, C=US";

    private static long s_nextId;

    private static readonly Lazy<TrustAnchor> s_intel = new(() => new TrustAnchor(
        "Intel SGX Root CA", TrustAnchorUse.SgxDcap, false, LoadResource("intel-sgx-root-ca.der"))
    {
        QuotingEnclave = QuotingEnclaveIdentity.IntelQe3,
        TdxQuotingEnclave = QuotingEnclaveIdentity.IntelTdQe,
        CollateralSignerSubject = IntelTcbSigningSubject,
    });

    private static readonly Lazy<TrustAnchor> s_milan = new(() => AmdRoot("Milan"));
    private static readonly Lazy<TrustAnchor> s_genoa = new(() => AmdRoot("Genoa"));
    private static readonly Lazy<TrustAnchor> s_turin = new(() => AmdRoot("Turin"));

    private TrustAnchor(string name, TrustAnchorUse use, bool isEmulated, byte[] der)
    {
        Name = name;
        Use = use;
        IsEmulated = isEmulated;
        Certificate = ParsedCertificate.Parse(der, name);
        Id = Interlocked.Increment(ref s_nextId);
    }

    /// <summary>The Intel SGX Root CA (embedded; valid 2018-05-21 to 2049-12-31), for real DCAP quotes.</summary>
    public static TrustAnchor IntelSgxRootCa => s_intel.Value;

    /// <summary>The AMD Root Key for Milan (embedded, with the Milan ASK and ASVK), for SEV-SNP reports from Milan processors.</summary>
    public static TrustAnchor AmdMilanArk => s_milan.Value;

    /// <summary>The AMD Root Key for Genoa (embedded, with the Genoa ASK and ASVK).</summary>
    public static TrustAnchor AmdGenoaArk => s_genoa.Value;

    /// <summary>The AMD Root Key for Turin (embedded, with the Turin ASK and ASVK).</summary>
    public static TrustAnchor AmdTurinArk => s_turin.Value;

    /// <summary>The anchors a verifier trusts by default: the real Intel and AMD roots, nothing emulated.</summary>
    public static IReadOnlyList<TrustAnchor> Defaults => [IntelSgxRootCa, AmdMilanArk, AmdGenoaArk, AmdTurinArk];

    /// <summary>The AMD SEV Signing Key for Milan (embedded DER), the intermediate between ARK and VCEK.</summary>
    public static ReadOnlyMemory<byte> AmdMilanAskDer => AmdMilanArk.Intermediates[0];

    /// <summary>A name for messages and claims.</summary>
    public string Name { get; }

    /// <summary>What evidence the anchor vouches for.</summary>
    public TrustAnchorUse Use { get; }

    /// <summary>True when evidence under this anchor comes from an emulated platform.</summary>
    public bool IsEmulated { get; }

    /// <summary>For DCAP anchors, the quoting enclave identity SGX quotes must show.</summary>
    public QuotingEnclaveIdentity? QuotingEnclave { get; private init; }

    /// <summary>For DCAP anchors, the quoting enclave identity TDX quotes must show (Intel's TD QE differs from its SGX QE).</summary>
    public QuotingEnclaveIdentity? TdxQuotingEnclave { get; private init; }

    /// <summary>
    /// For DCAP anchors, the subject of the only certificate allowed to sign TCB info and QE identity
    /// under this root (Intel: <see cref="IntelTcbSigningSubject"/>); null accepts no collateral.
    /// </summary>
    public string? CollateralSignerSubject { get; private init; }

    /// <summary>For SEV-SNP anchors, the AMD product this root belongs to (Milan, Genoa, Turin), or null for a root given by the caller.</summary>
    public string? Product { get; private init; }

    /// <summary>For SEV-SNP anchors, the embedded intermediates under this root (ASK, then ASVK), DER each.</summary>
    public IReadOnlyList<ReadOnlyMemory<byte>> Intermediates { get; private init; } = [];

    /// <summary>The anchor certificate (DER).</summary>
    public ReadOnlyMemory<byte> CertificateDer => Certificate.Der;

    /// <summary>The anchor's subject name.</summary>
    public string Subject => Certificate.SubjectText;

    internal ParsedCertificate Certificate { get; }

    /// <summary>Distinguishes anchors in cache keys.</summary>
    internal long Id { get; }

    /// <summary>Creates an anchor for Intel DCAP quotes (SGX and TDX).</summary>
    /// <param name="certificate">The root certificate, DER or PEM.</param>
    /// <param name="name">A name for messages.</param>
    /// <param name="isEmulated">True for an emulated platform's root.</param>
    /// <param name="quotingEnclave">The identity its quoting enclave must have.</param>
    /// <param name="tdxQuotingEnclave">The identity of the quoting enclave of TDX quotes; null for the same as <paramref name="quotingEnclave"/>.</param>
    /// <param name="collateralSignerSubject">The subject of the certificate that signs TCB info and QE identity under this root; null accepts no collateral.</param>
    /// <exception cref="AttestationException">The certificate cannot be read.</exception>
    public static TrustAnchor ForSgx(ReadOnlySpan<byte> certificate, string name, bool isEmulated, QuotingEnclaveIdentity quotingEnclave, QuotingEnclaveIdentity? tdxQuotingEnclave = null, string? collateralSignerSubject = null)
    {
        ArgumentNullException.ThrowIfNull(quotingEnclave);
        return new TrustAnchor(name, TrustAnchorUse.SgxDcap, isEmulated, ReadSingleCertificate(certificate))
        {
            QuotingEnclave = quotingEnclave,
            TdxQuotingEnclave = tdxQuotingEnclave ?? quotingEnclave,
            CollateralSignerSubject = collateralSignerSubject,
        };
    }

    /// <summary>Creates an anchor (an ARK) for SEV-SNP reports. Reports under it must come with their VCEK or VLEK and its issuer (ASK or ASVK).</summary>
    /// <param name="certificate">The root certificate, DER or PEM.</param>
    /// <param name="name">A name for messages.</param>
    /// <param name="isEmulated">True for an emulated platform's root.</param>
    /// <exception cref="AttestationException">The certificate cannot be read.</exception>
    public static TrustAnchor ForSnp(ReadOnlySpan<byte> certificate, string name, bool isEmulated) =>
        new(name, TrustAnchorUse.SevSnp, isEmulated, ReadSingleCertificate(certificate));

    /// <summary>Reads certificates from DER (one) or PEM (one or more; CRLF line ends and a missing final newline are fine).</summary>
    /// <exception cref="AttestationException">The bytes are neither, or the PEM holds something other than certificates.</exception>
    public static IReadOnlyList<byte[]> ReadCertificates(ReadOnlySpan<byte> derOrPem)
    {
        if (StrictPem.LooksLikePem(derOrPem))
        {
            return StrictPem.DecodeCertificateFile(derOrPem);
        }

        byte[] der = derOrPem.ToArray();
        _ = ParsedCertificate.Parse(der, "given");
        return [der];
    }

    /// <summary>True when <paramref name="certificate"/> is this anchor's certificate or has its subject and key.</summary>
    internal bool Matches(ParsedCertificate certificate) =>
        Certificate.Subject.Equivalent(certificate.Subject, true) && Certificate.SubjectPublicKeyInfo.AsSpan().SequenceEqual(certificate.SubjectPublicKeyInfo);

    /// <summary>True when <paramref name="subject"/> is the pinned collateral signer's subject.</summary>
    internal bool IsCollateralSigner(X509Name subject) =>
        CollateralSignerSubject is not null && new X509Name(CollateralSignerSubject).Equivalent(subject, false);

    private static TrustAnchor AmdRoot(string product) =>
        new($"AMD ARK-{product}", TrustAnchorUse.SevSnp, false, LoadResource($"amd-{product.ToLowerInvariant()}-ark.der"))
        {
            Product = product,
            Intermediates = [LoadResource($"amd-{product.ToLowerInvariant()}-ask.der"), LoadResource($"amd-{product.ToLowerInvariant()}-asvk.der")],
        };

    private static byte[] ReadSingleCertificate(ReadOnlySpan<byte> derOrPem)
    {
        IReadOnlyList<byte[]> all = ReadCertificates(derOrPem);
        if (all.Count != 1)
        {
            throw new EvidenceFormatException("trust anchor", "certificate count", -1, $"expected one certificate, found {all.Count}");
        }

        return all[0];
    }

    private static byte[] LoadResource(string name)
    {
        Assembly assembly = typeof(TrustAnchor).Assembly;
        using Stream stream = assembly.GetManifestResourceStream("EnclaveGen.Attestation.Resources." + name)
            ?? throw new InvalidOperationException($"The embedded resource {name} is missing from {assembly.GetName().Name}.");
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        return memory.ToArray();
    }

    /// <inheritdoc/>
    public override string ToString() => IsEmulated ? $"{Name} (EMULATED)" : Name;
}
