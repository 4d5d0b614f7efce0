using System.Reflection;
using EnclaveGen.Attestation.Pem;
using EnclaveGen.Attestation.X509;

namespace EnclaveGen.Attestation.Verification;

/// <summary>
/// A root certificate the verifier trusts for one kind of evidence. An anchor registered as
/// emulated makes every piece of evidence that chains to it report <c>IsEmulated = true</c>.
/// </summary>
public sealed class TrustAnchor
{
    private static readonly Lazy<TrustAnchor> s_intel = new(() => new TrustAnchor(
        "Intel SGX Root CA", TrustAnchorUse.SgxDcap, false, LoadResource("intel-sgx-root-ca.der"), QuotingEnclaveIdentity.IntelQe3, QuotingEnclaveIdentity.IntelTdQe));

    private static readonly Lazy<TrustAnchor> s_amdMilan = new(() => new TrustAnchor(
        "AMD ARK-Milan", TrustAnchorUse.SevSnp, false, LoadResource("amd-milan-ark.der"), null, null));

    private static readonly Lazy<byte[]> s_amdMilanAsk = new(() => LoadResource("amd-milan-ask.der"));

    private TrustAnchor(string name, TrustAnchorUse use, bool isEmulated, byte[] der, QuotingEnclaveIdentity? quotingEnclave, QuotingEnclaveIdentity? tdxQuotingEnclave)
    {
        TdxQuotingEnclave = tdxQuotingEnclave ?? quotingEnclave;
        Name = name;
        Use = use;
        IsEmulated = isEmulated;
        Certificate = ParsedCertificate.Parse(der, name);
        QuotingEnclave = quotingEnclave;
        if (use == TrustAnchorUse.SgxDcap && quotingEnclave is null)
        {
            throw new ArgumentException("An SGX DCAP anchor needs the identity of its quoting enclave.", nameof(quotingEnclave));
        }
    }

    /// <summary>The Intel SGX Root CA (embedded; valid 2018-05-21 to 2049-12-31), for real DCAP quotes.</summary>
    public static TrustAnchor IntelSgxRootCa => s_intel.Value;

    /// <summary>The AMD Root Key for Milan (embedded), for SEV-SNP reports from Milan processors.</summary>
    public static TrustAnchor AmdMilanArk => s_amdMilan.Value;

    /// <summary>The anchors a verifier trusts by default: the real Intel and AMD roots, nothing emulated.</summary>
    public static IReadOnlyList<TrustAnchor> Defaults => [IntelSgxRootCa, AmdMilanArk];

    /// <summary>The AMD SEV Signing Key for Milan (embedded DER), the intermediate between ARK and VCEK.</summary>
    public static ReadOnlyMemory<byte> AmdMilanAskDer => s_amdMilanAsk.Value;

    /// <summary>A name for messages and claims.</summary>
    public string Name { get; }

    /// <summary>What evidence the anchor vouches for.</summary>
    public TrustAnchorUse Use { get; }

    /// <summary>True when evidence under this anchor comes from an emulated platform.</summary>
    public bool IsEmulated { get; }

    /// <summary>For SGX DCAP anchors, the quoting enclave identity quotes must show.</summary>
    public QuotingEnclaveIdentity? QuotingEnclave { get; }

    /// <summary>For DCAP anchors, the quoting enclave identity TDX quotes must show (Intel's TD QE differs from its SGX QE).</summary>
    public QuotingEnclaveIdentity? TdxQuotingEnclave { get; }

    /// <summary>The anchor certificate (DER).</summary>
    public ReadOnlyMemory<byte> CertificateDer => Certificate.Der;

    /// <summary>The anchor's subject name.</summary>
    public string Subject => Certificate.SubjectText;

    internal ParsedCertificate Certificate { get; }

    /// <summary>Creates an anchor for Intel DCAP quotes (SGX v3, TDX v4).</summary>
    /// <param name="certificate">The root certificate, DER or PEM.</param>
    /// <param name="name">A name for messages.</param>
    /// <param name="isEmulated">True for an emulated platform's root.</param>
    /// <param name="quotingEnclave">The identity its quoting enclave must have.</param>
    /// <param name="tdxQuotingEnclave">The identity of the quoting enclave of TDX quotes; null for the same as <paramref name="quotingEnclave"/>.</param>
    /// <exception cref="AttestationException">The certificate cannot be read.</exception>
    public static TrustAnchor ForSgx(ReadOnlySpan<byte> certificate, string name, bool isEmulated, QuotingEnclaveIdentity quotingEnclave, QuotingEnclaveIdentity? tdxQuotingEnclave = null)
    {
        ArgumentNullException.ThrowIfNull(quotingEnclave);
        return new TrustAnchor(name, TrustAnchorUse.SgxDcap, isEmulated, ReadSingleCertificate(certificate), quotingEnclave, tdxQuotingEnclave);
    }

    /// <summary>Creates an anchor (an ARK) for SEV-SNP reports.</summary>
    /// <param name="certificate">The root certificate, DER or PEM.</param>
    /// <param name="name">A name for messages.</param>
    /// <param name="isEmulated">True for an emulated platform's root.</param>
    /// <exception cref="AttestationException">The certificate cannot be read.</exception>
    public static TrustAnchor ForSnp(ReadOnlySpan<byte> certificate, string name, bool isEmulated) =>
        new(name, TrustAnchorUse.SevSnp, isEmulated, ReadSingleCertificate(certificate), null, null);

    /// <summary>Reads certificates from DER (one) or strict PEM (one or more).</summary>
    /// <exception cref="AttestationException">The bytes are neither.</exception>
    public static IReadOnlyList<byte[]> ReadCertificates(ReadOnlySpan<byte> derOrPem)
    {
        if (derOrPem.StartsWith("-----BEGIN"u8))
        {
            return StrictPem.DecodeCertificates(derOrPem, requireTrailingNul: false);
        }

        byte[] der = derOrPem.ToArray();
        _ = ParsedCertificate.Parse(der, "given");
        return [der];
    }

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
