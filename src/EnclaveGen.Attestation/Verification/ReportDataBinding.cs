using System.Security.Cryptography;

namespace EnclaveGen.Attestation.Verification;

/// <summary>
/// What the 64 bytes of report data must be: a value the relying party knows (a fresh nonce, or
/// the hash of a key the attested code created), placed at the start and followed by zeros. The
/// whole 64 bytes are compared, in constant time, so nothing else can ride along.
/// </summary>
public sealed class ReportDataBinding
{
    /// <summary>The size of report data in SGX and SEV-SNP.</summary>
    public const int ReportDataSize = 64;

    private readonly byte[] _expected;

    private ReportDataBinding(byte[] expected, string description)
    {
        _expected = expected;
        Description = description;
    }

    /// <summary>The exact 64 bytes expected.</summary>
    public ReadOnlyMemory<byte> Expected => _expected;

    /// <summary>What the binding is, for messages.</summary>
    public string Description { get; }

    /// <summary>Report data that starts with <paramref name="nonce"/> (1 to 64 bytes) and is zero after it.</summary>
    public static ReportDataBinding Nonce(ReadOnlySpan<byte> nonce)
    {
        if (nonce.IsEmpty || nonce.Length > ReportDataSize)
        {
            throw new ArgumentException($"A nonce is 1 to {ReportDataSize} bytes.", nameof(nonce));
        }

        byte[] expected = new byte[ReportDataSize];
        nonce.CopyTo(expected);
        return new ReportDataBinding(expected, $"nonce {Convert.ToHexStringLower(nonce)} then zeros");
    }

    /// <summary>
    /// Report data that starts with SHA-256 of <paramref name="publicKey"/> (as RA-TLS binds keys),
    /// followed by <paramref name="nonce"/> (up to 32 bytes) and zeros.
    /// </summary>
    public static ReportDataBinding KeyHash(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> nonce = default)
    {
        if (nonce.Length > 32)
        {
            throw new ArgumentException("The nonce after a key hash is at most 32 bytes.", nameof(nonce));
        }

        byte[] expected = ComputeKeyHashReportData(publicKey, nonce);
        return new ReportDataBinding(expected, nonce.IsEmpty
            ? $"SHA-256 of the key ({Convert.ToHexStringLower(expected.AsSpan(0, 32))}) then zeros"
            : $"SHA-256 of the key ({Convert.ToHexStringLower(expected.AsSpan(0, 32))}), the nonce {Convert.ToHexStringLower(nonce)}, then zeros");
    }

    /// <summary>Report data equal to exactly these 64 bytes.</summary>
    public static ReportDataBinding Exact(ReadOnlySpan<byte> reportData)
    {
        if (reportData.Length != ReportDataSize)
        {
            throw new ArgumentException($"Report data is {ReportDataSize} bytes.", nameof(reportData));
        }

        return new ReportDataBinding(reportData.ToArray(), $"exactly {Convert.ToHexStringLower(reportData)}");
    }

    /// <summary>The 64 bytes of report data that bind a public key (and an optional nonce of up to 32 bytes).</summary>
    public static byte[] ComputeKeyHashReportData(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> nonce = default)
    {
        if (nonce.Length > 32)
        {
            throw new ArgumentException("The nonce after a key hash is at most 32 bytes.", nameof(nonce));
        }

        byte[] reportData = new byte[ReportDataSize];
        SHA256.HashData(publicKey, reportData);
        nonce.CopyTo(reportData.AsSpan(32));
        return reportData;
    }

    /// <summary>True when <paramref name="reportData"/> is exactly the expected 64 bytes (constant time).</summary>
    public bool Matches(ReadOnlySpan<byte> reportData) =>
        reportData.Length == ReportDataSize && CryptographicOperations.FixedTimeEquals(reportData, _expected);
}
