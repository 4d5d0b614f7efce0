using System.Buffers.Binary;
using EnclaveGen.Attestation.Formats;

namespace EnclaveGen.Attestation.Cvm;

/// <summary>
/// The evidence of an enclave partition inside a confidential VM, as one blob a relying party can
/// hand to <c>AttestationVerifier</c>: the VM's evidence (an SEV-SNP report or a TDX quote), the
/// certificates it needs beside it (an SEV-SNP report's VCEK or VLEK, then its issuer), and the
/// enclave's report body the VM's report data binds (docs/profiles.md, the binding).
/// </summary>
/// <remarks>
/// Layout, little-endian: the 8 bytes "EGCVMENC", a version (u16, 1), the VM evidence's length
/// (u32) and bytes, the certificate count (u16) and each certificate's length (u32) and DER, then
/// the 384-byte enclave report body, and nothing after it.
/// </remarks>
public sealed class CvmEnclaveEvidence
{
    /// <summary>The version this code writes and reads.</summary>
    public const ushort Version = 1;

    private const string Structure = "CVM enclave evidence";
    private const int MaxCertificates = 8;
    private const int MaxPart = 1 << 20;

    private CvmEnclaveEvidence(byte[] vmEvidence, IReadOnlyList<byte[]> certificates, byte[] enclaveReport)
    {
        VmEvidence = vmEvidence;
        Certificates = certificates;
        EnclaveReport = enclaveReport;
    }

    /// <summary>The 8 bytes every such blob starts with.</summary>
    public static ReadOnlySpan<byte> Magic => "EGCVMENC"u8;

    /// <summary>The VM's evidence.</summary>
    public byte[] VmEvidence { get; }

    /// <summary>The certificates the VM's evidence needs beside it; empty when it carries its chain.</summary>
    public IReadOnlyList<byte[]> Certificates { get; }

    /// <summary>The enclave's report body (384 bytes, SGX layout).</summary>
    public byte[] EnclaveReport { get; }

    /// <summary>True when <paramref name="evidence"/> starts with <see cref="Magic"/>.</summary>
    public static bool HasHeader(ReadOnlySpan<byte> evidence) => evidence.StartsWith(Magic);

    /// <summary>Encodes the three parts as one blob.</summary>
    public static byte[] Encode(ReadOnlySpan<byte> vmEvidence, IReadOnlyList<byte[]> certificates, ReadOnlySpan<byte> enclaveReport)
    {
        ArgumentNullException.ThrowIfNull(certificates);
        if (enclaveReport.Length != SgxReportBody.Size || certificates.Count > MaxCertificates)
        {
            throw new ArgumentException($"The enclave report is {SgxReportBody.Size} bytes (got {enclaveReport.Length}) and there are at most {MaxCertificates} certificates (got {certificates.Count}).");
        }

        using var stream = new MemoryStream();
        Span<byte> number = stackalloc byte[4];
        stream.Write(Magic);
        BinaryPrimitives.WriteUInt16LittleEndian(number, Version);
        stream.Write(number[..2]);
        BinaryPrimitives.WriteUInt32LittleEndian(number, (uint)vmEvidence.Length);
        stream.Write(number);
        stream.Write(vmEvidence);
        BinaryPrimitives.WriteUInt16LittleEndian(number, (ushort)certificates.Count);
        stream.Write(number[..2]);
        foreach (byte[] certificate in certificates)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(number, (uint)certificate.Length);
            stream.Write(number);
            stream.Write(certificate);
        }

        stream.Write(enclaveReport);
        return stream.ToArray();
    }

    /// <summary>Reads a blob, checking every length before it is used.</summary>
    /// <exception cref="EvidenceFormatException">The blob is truncated, has bytes after its end, another version, or a part out of bounds.</exception>
    public static CvmEnclaveEvidence Parse(ReadOnlySpan<byte> evidence)
    {
        int at = 0;
        if (!HasHeader(evidence))
        {
            throw new EvidenceFormatException(Structure, "magic", 0, "the blob does not start with \"EGCVMENC\"");
        }

        at += Magic.Length;
        ushort version = BinaryPrimitives.ReadUInt16LittleEndian(Take(evidence, ref at, 2, "version"));
        if (version != Version)
        {
            throw new EvidenceFormatException(Structure, "version", at - 2, $"version {version}; this code reads version {Version}");
        }

        byte[] vm = Part(evidence, ref at, "VM evidence");
        ushort count = BinaryPrimitives.ReadUInt16LittleEndian(Take(evidence, ref at, 2, "certificate count"));
        if (count > MaxCertificates)
        {
            throw new EvidenceFormatException(Structure, "certificate count", at - 2, $"{count} certificates; at most {MaxCertificates}");
        }

        var certificates = new List<byte[]>(count);
        for (int i = 0; i < count; i++)
        {
            certificates.Add(Part(evidence, ref at, $"certificate {i}"));
        }

        byte[] report = Take(evidence, ref at, SgxReportBody.Size, "enclave report").ToArray();
        if (at != evidence.Length)
        {
            throw new EvidenceFormatException(Structure, "length", at, $"{evidence.Length - at} bytes follow the enclave report");
        }

        return new CvmEnclaveEvidence(vm, certificates, report);
    }

    private static byte[] Part(ReadOnlySpan<byte> evidence, ref int at, string name)
    {
        uint length = BinaryPrimitives.ReadUInt32LittleEndian(Take(evidence, ref at, 4, name + " length"));
        if (length > MaxPart)
        {
            throw new EvidenceFormatException(Structure, name, at - 4, $"{length} bytes; at most {MaxPart}");
        }

        return Take(evidence, ref at, (int)length, name).ToArray();
    }

    private static ReadOnlySpan<byte> Take(ReadOnlySpan<byte> evidence, ref int at, int length, string name)
    {
        if (evidence.Length - at < length)
        {
            throw new EvidenceFormatException(Structure, name, at, $"{length} bytes are needed, {evidence.Length - at} remain: the blob is truncated");
        }

        ReadOnlySpan<byte> part = evidence.Slice(at, length);
        at += length;
        return part;
    }
}
