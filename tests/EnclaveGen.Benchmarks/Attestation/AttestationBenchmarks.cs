using BenchmarkDotNet.Attributes;
using EnclaveGen.Attestation.Channel;
using EnclaveGen.Attestation.Emulation;
using EnclaveGen.Attestation.Formats;
using EnclaveGen.Attestation.Verification;

namespace EnclaveGen.Benchmarks.Attestation;

/// <summary>
/// Quote generation and verification, emulated and real, and attested-channel records.
/// Run: <c>dotnet run -c Release --project tests/EnclaveGen.Benchmarks -- --filter '*AttestationBenchmarks*'</c>.
/// </summary>
[MemoryDiagnoser]
public class AttestationBenchmarks
{
    private static readonly DateTimeOffset s_realTime = new(2025, 6, 1, 0, 0, 0, TimeSpan.Zero);
    private EmulatedAttestationAuthority _authority = null!;
    private SgxReportBody _body = null!;
    private byte[] _emulatedQuote = null!;
    private byte[] _realQuote = null!;
    private byte[] _snpReport = null!;
    private EvidenceInput _snpCertificates = null!;
    private AttestationVerifier _warmVerifier = null!;
    private AttestationPolicy _emulatedPolicy = null!;
    private AttestationPolicy _realPolicy = null!;
    private AttestedSession _sender = null!;
    private AttestedSession _receiver = null!;
    private byte[] _payload = null!;

    [GlobalSetup]
    public void Setup()
    {
        _authority = EmulatedAttestationAuthority.Create();
        _body = new SgxReportBody { MrEnclave = new byte[32], MrSigner = new byte[32], IsvProdId = 1, IsvSvn = 1 };
        _emulatedQuote = _authority.CreateQuote(_body);
        string dir = FindTestData();
        _realQuote = File.ReadAllBytes(Path.Combine(dir, "sgx-quote-v3-debug.bin"));
        _snpReport = File.ReadAllBytes(Path.Combine(dir, "snp-report-v2-debug.bin"));
        _snpCertificates = new EvidenceInput { Certificates = [File.ReadAllBytes(Path.Combine(dir, "snp-vcek-milan.der"))] };
        _warmVerifier = new AttestationVerifier([.. TrustAnchor.Defaults, _authority.TrustAnchor]);
        _emulatedPolicy = new AttestationPolicy { AllowEmulated = true };
        _realPolicy = new AttestationPolicy { AllowDebug = true, VerificationTime = s_realTime };
        _payload = new byte[64];

        using EnclaveChannelKey key = EnclaveChannelKey.Create();
        byte[] quote = _authority.CreateQuote(_body with { ReportData = key.CreateReportData() });
        RelyingPartyChannel rp = RelyingPartyChannel.ConnectToSgxEnclave(_warmVerifier, quote, key.PublicKey.Span, _emulatedPolicy);
        _sender = rp.Session;
        _receiver = key.Accept(rp.PublicKey.Span);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _authority.Dispose();
        _sender.Dispose();
        _receiver.Dispose();
    }

    /// <summary>The emulated quoting enclave turns a report body into a DCAP v3 quote (one ECDSA P-256 signature).</summary>
    [Benchmark]
    public byte[] CreateEmulatedQuote() => _authority.CreateQuote(_body);

    /// <summary>Verifying an emulated quote with a verifier that has seen its chain before.</summary>
    [Benchmark]
    public SgxClaims VerifyEmulatedQuote() => _warmVerifier.Verify<SgxClaims>(_emulatedQuote, _emulatedPolicy);

    /// <summary>Verifying the real Intel quote with a verifier that has seen its chain before.</summary>
    [Benchmark]
    public SgxClaims VerifyRealSgxQuote() => _warmVerifier.Verify<SgxClaims>(_realQuote, _realPolicy);

    /// <summary>Verifying the real Intel quote with a new verifier: chain validation and key imports included.</summary>
    [Benchmark]
    public SgxClaims VerifyRealSgxQuoteColdVerifier() => new AttestationVerifier().Verify<SgxClaims>(_realQuote, _realPolicy);

    /// <summary>Verifying the real SEV-SNP report (ECDSA P-384) with a warm verifier.</summary>
    [Benchmark]
    public SnpClaims VerifySnpReport() => _warmVerifier.Verify<SnpClaims>(_snpReport, _realPolicy, _snpCertificates);

    /// <summary>Verifying the real SEV-SNP report with a new verifier (RSA-PSS chain included).</summary>
    [Benchmark]
    public SnpClaims VerifySnpReportColdVerifier() => new AttestationVerifier().Verify<SnpClaims>(_snpReport, _realPolicy, _snpCertificates);

    /// <summary>One 64-byte channel record sealed by one side and opened by the other.</summary>
    [Benchmark]
    public byte[] ChannelRecord64Bytes() => _receiver.Open(_sender.Seal(_payload));

    private static string FindTestData()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "testdata", "attestation");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("testdata/attestation was not found above " + AppContext.BaseDirectory);
    }
}
