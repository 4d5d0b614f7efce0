namespace EnclaveGen.Attestation.Tests;

/// <summary>The real hardware evidence in tests/testdata/attestation, copied to the output (read-only; tests tamper with copies).</summary>
internal static class TestData
{
    /// <summary>Inside every certificate's validity in both samples (PCK leaf 2021-03-19..2028-03-19, VCEK 2022-09-24..2029-09-24).</summary>
    public static readonly DateTimeOffset PinnedTime = new(2025, 6, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly Lazy<string> s_directory = new(FindDirectory);

    public static string Directory => s_directory.Value;

    public static byte[] SgxQuote => Read("sgx-quote-v3-debug.bin");

    public static byte[] IntelRootDer => Read("intel-sgx-root-ca.der");

    public static byte[] SnpReport => Read("snp-report-v2-debug.bin");

    public static byte[] VcekDer => Read("snp-vcek-milan.der");

    public static byte[] AskArkPem => Read("snp-ask-ark-milan.pem");

    public static string PathOf(string name) => Path.Combine(Directory, name);

    /// <summary>A real evidence file, its text encoding (hex, 0x-hex) undone.</summary>
    public static byte[] Evidence(string name) => EnclaveGen.Attestation.Formats.EvidenceEncoding.Decode(Read(name), out _);

    /// <summary>A real nine-field collateral file.</summary>
    public static EnclaveGen.Attestation.Verification.AttestationCollateral Collateral(string name) => EnclaveGen.Attestation.Verification.DcapCollateralJson.Read(Read(name));

    /// <summary>The bytes of a file in the test data.</summary>
    public static byte[] Bytes(string name) => Read(name);

    /// <summary>The certificates an SEV-SNP report needs beside it: the signing certificate first, then its issuers.</summary>
    public static EnclaveGen.Attestation.Verification.EvidenceInput Signers(params byte[][] certificates) => new() { Certificates = certificates };

    private static byte[] Read(string name) => File.ReadAllBytes(PathOf(name));

    private static string FindDirectory()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "testdata", "attestation");
            if (File.Exists(Path.Combine(candidate, "sgx-quote-v3-debug.bin")))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("testdata/attestation was not found above " + AppContext.BaseDirectory);
    }
}
