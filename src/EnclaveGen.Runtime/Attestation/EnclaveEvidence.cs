using System.Security.Cryptography;
using EnclaveGen.Attestation.Formats;

namespace EnclaveGen.Runtime.Attestation;

/// <summary>
/// Produces an enclave's evidence on the emulated platform, as SGX hardware would: its report body
/// (identity from the verified image, attributes, REPORTDATA), local reports MAC'd for a target
/// enclave with a key only that enclave on this platform can derive, and remote evidence from the
/// profile's source (<see cref="IEvidenceSource"/>): DCAP v3 quotes from the platform's emulated
/// quoting enclave by default.
/// </summary>
internal sealed class EnclaveEvidence
{
    private const ulong BaseFlags = SgxAttributes.Init | SgxAttributes.Mode64Bit;
    private const ulong Xfrm = 0x03;

    private readonly EnclaveIdentity _identity;
    private readonly EnclavePlatform _platform;
    private readonly IEvidenceSource _source;

    public EnclaveEvidence(EnclaveIdentity identity, EnclavePlatform platform, TeeProfile profile = TeeProfile.SgxEmulated)
        : this(identity, platform, EvidenceSources.For(profile, platform))
    {
    }

    internal EnclaveEvidence(EnclaveIdentity identity, EnclavePlatform platform, IEvidenceSource source)
    {
        _identity = identity;
        _platform = platform;
        _source = source;
        Attributes = new SgxAttributes(BaseFlags | (identity.IsDebug ? SgxAttributes.Debug : 0), Xfrm);
    }

    public SgxAttributes Attributes { get; }

    public EnclaveTargetInfo TargetInfo => new(_identity.Mrenclave.AsSpan().ToArray(), Attributes, MiscSelect: 0);

    /// <summary>This enclave's report body with <paramref name="reportData"/> (up to 64 bytes, zero-padded).</summary>
    public SgxReportBody ReportBody(ReadOnlySpan<byte> reportData)
    {
        if (reportData.Length > 64)
        {
            throw new ArgumentException($"REPORTDATA is at most 64 bytes; got {reportData.Length}.", nameof(reportData));
        }

        byte[] data = new byte[64];
        reportData.CopyTo(data);
        return new SgxReportBody
        {
            CpuSvn = CpuSvn(),
            Attributes = Attributes,
            MrEnclave = _identity.Mrenclave.AsSpan().ToArray(),
            MrSigner = _identity.Mrsigner.AsSpan().ToArray(),
            IsvProdId = _identity.ProductId,
            IsvSvn = _identity.SecurityVersion,
            ReportData = data,
        };
    }

    /// <summary>A local report that only the enclave described by <paramref name="target"/>, on this platform, can verify.</summary>
    public byte[] CreateReport(EnclaveTargetInfo target, ReadOnlySpan<byte> reportData)
    {
        Span<byte> keyId = stackalloc byte[SgxReport.KeyIdSize];
        RandomNumberGenerator.Fill(keyId);
        byte[] key = ReportKey(target.MrEnclave.Span, target.Attributes, target.MiscSelect, keyId);
        try
        {
            return SgxReport.Create(ReportBody(reportData), keyId, key).ToBytes();
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <summary>Checks that a report was made on this platform for this enclave, and returns its body.</summary>
    /// <exception cref="EnclaveGen.Attestation.AttestationException">The report is malformed or its MAC does not verify for this enclave.</exception>
    public SgxReportBody VerifyReport(ReadOnlySpan<byte> report)
    {
        SgxReport parsed = SgxReport.Parse(report);
        byte[] key = ReportKey(_identity.Mrenclave.AsSpan(), Attributes, 0, parsed.KeyId);
        try
        {
            parsed.VerifyMac(key);
            return parsed.Body;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <summary>The profile whose evidence this enclave gives.</summary>
    public TeeProfile Profile => _source.Profile;

    /// <summary>A DCAP v3 quote of this enclave, signed by the platform's emulated quoting enclave (the SGX-style profile only).</summary>
    public byte[] CreateQuote(ReadOnlySpan<byte> reportData) => _source.Profile == TeeProfile.SgxEmulated
        ? _source.Create(ReportBody(reportData)).Evidence
        : throw new EnclaveException($"This enclave runs under the {TeeProfiles.Name(_source.Profile)} profile, whose evidence is not an SGX quote: call EnclaveAttestation.CreateEvidence.");

    /// <summary>
    /// Evidence an <c>AttestationVerifier</c> checks on its own, binding <paramref name="reportData"/>:
    /// the DCAP quote under sgx-emulated; under a confidential-VM profile the VM's evidence, its
    /// certificates and the enclave's report body in one <see cref="EnclaveGen.Attestation.Cvm.CvmEnclaveEvidence"/> blob.
    /// </summary>
    /// <exception cref="EnclaveException">Under trustzone-emulated, whose PSA tokens are checked with the device's attestation key, not by an AttestationVerifier.</exception>
    public byte[] CreateVerifiableEvidence(ReadOnlySpan<byte> reportData)
    {
        if (_source.Profile == TeeProfile.TrustZoneEmulated)
        {
            throw new EnclaveException("This enclave runs under the trustzone-emulated profile, whose PSA tokens are checked with the device's attestation key (PsaToken.Verify), not by an AttestationVerifier: an attested channel or TLS certificate needs the sgx-emulated or a confidential-VM profile. Call EnclaveAttestation.CreateEvidence for the token.");
        }

        PlatformEvidence evidence = _source.Create(ReportBody(reportData));
        return evidence.EnclaveReport is { } enclaveReport
            ? EnclaveGen.Attestation.Cvm.CvmEnclaveEvidence.Encode(evidence.Evidence, evidence.Certificates, enclaveReport)
            : evidence.Evidence;
    }

    /// <summary>
    /// Evidence in the layout of Trustee's attester for the profile's TEE, whose own report data is
    /// <paramref name="reportData"/> (up to 64 bytes): the enclave's quote under sgx-emulated, the VM's
    /// report or quote under a confidential-VM profile (docs/key-broker.md).
    /// </summary>
    public (string Tee, System.Text.Json.Nodes.JsonObject Evidence) CreateForTrustee(ReadOnlySpan<byte> reportData) => _source.CreateForTrustee(ReportBody(reportData));

    /// <summary>This enclave's remote evidence in its profile's format, binding <paramref name="reportData"/> (up to 64 bytes).</summary>
    public PlatformEvidence CreateEvidence(ReadOnlySpan<byte> reportData) => _source.Create(ReportBody(reportData));

    private byte[] ReportKey(ReadOnlySpan<byte> targetMrEnclave, SgxAttributes targetAttributes, uint targetMiscSelect, ReadOnlySpan<byte> keyId)
    {
        Span<byte> secret = stackalloc byte[32];
        _platform.DeriveKey(salt: [], "EnclaveGen report key root v1"u8, secret);
        try
        {
            return SgxReport.DeriveReportKey(secret, targetMrEnclave, targetAttributes, targetMiscSelect, keyId);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }

    /// <summary>The emulated CPU's security version: fixed, since its microcode is never updated.</summary>
    private static byte[] CpuSvn()
    {
        byte[] svn = new byte[16];
        svn[0] = 1;
        return svn;
    }
}
