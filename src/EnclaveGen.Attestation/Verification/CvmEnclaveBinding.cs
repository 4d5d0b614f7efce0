using System.Security.Cryptography;
using EnclaveGen.Attestation.Formats;

namespace EnclaveGen.Attestation.Verification;

/// <summary>
/// How an enclave partition inside a confidential VM is bound to the VM's evidence. The VM's report
/// (SEV-SNP REPORT_DATA, TDX REPORTDATA: 64 bytes) holds SHA-512 of a label and the enclave's own
/// report body (384 bytes, SGX layout: MRENCLAVE, MRSIGNER, product ID, SVN, attributes and the
/// enclave's 64 bytes of report data, such as the hash of its channel key). The body travels beside
/// the VM's evidence; a relying party verifies the evidence, then <see cref="Check"/> proves the body
/// is the one the VM bound, and reads the enclave's identity from it. Both matter: the VM's
/// measurement says what VM image runs, the body says which enclave inside it speaks.
/// </summary>
public static class CvmEnclaveBinding
{
    /// <summary>The label hashed before the body, so the digest means only this binding.</summary>
    public static ReadOnlySpan<byte> Label => "EnclaveGen enclave in a confidential VM v1\0"u8;

    /// <summary>The 64 bytes of VM report data that bind <paramref name="enclaveReport"/>.</summary>
    public static byte[] ReportData(SgxReportBody enclaveReport)
    {
        ArgumentNullException.ThrowIfNull(enclaveReport);
        return ReportData(enclaveReport.ToBytes());
    }

    /// <summary>
    /// Checks that verified VM evidence binds <paramref name="enclaveReport"/>, and returns the
    /// enclave's report body (its identity and its own report data).
    /// </summary>
    /// <exception cref="EvidenceFormatException">The body is not a 384-byte report body.</exception>
    /// <exception cref="EvidenceVerificationException">The VM's report data is not the binding of this body (<c>binding.enclave</c>).</exception>
    public static SgxReportBody Check(AttestationClaims vmClaims, ReadOnlySpan<byte> enclaveReport)
    {
        ArgumentNullException.ThrowIfNull(vmClaims);
        SgxReportBody body = SgxReportBody.Parse(enclaveReport);
        byte[] expected = ReportData(enclaveReport);
        if (!CryptographicOperations.FixedTimeEquals(expected, vmClaims.ReportData.Span))
        {
            throw new EvidenceVerificationException("binding.enclave", $"the {vmClaims.Format.DisplayName}'s report data is {Convert.ToHexStringLower(vmClaims.ReportData.Span)}, not SHA-512 of the binding label and the enclave report given ({Convert.ToHexStringLower(expected)}): the enclave report is not the one this VM bound");
        }

        return body;
    }

    private static byte[] ReportData(ReadOnlySpan<byte> body)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA512);
        hash.AppendData(Label);
        hash.AppendData(body);
        return hash.GetHashAndReset();
    }
}
