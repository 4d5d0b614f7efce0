using System.Buffers.Binary;
using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Macs;
using Org.BouncyCastle.Crypto.Parameters;

namespace EnclaveGen.Attestation.Formats;

/// <summary>
/// An SGX local report (<c>sgx_report_t</c>, 432 bytes): the 384-byte body, a 32-byte KEYID and a
/// 16-byte MAC. As on hardware, the MAC is AES-128-CMAC over the body under the report key of the
/// target enclave, so only the target (which can derive that key on the same platform) can check it.
/// </summary>
public sealed class SgxReport
{
    /// <summary>The size of a report in bytes.</summary>
    public const int Size = SgxReportBody.Size + KeyIdSize + MacSize;

    /// <summary>The size of KEYID in bytes.</summary>
    public const int KeyIdSize = 32;

    /// <summary>The size of the MAC in bytes.</summary>
    public const int MacSize = 16;

    /// <summary>The size of a report key (AES-128) in bytes.</summary>
    public const int ReportKeySize = 16;

    private readonly byte[] _bodyBytes;
    private readonly byte[] _keyId;
    private readonly byte[] _mac;

    private SgxReport(SgxReportBody body, byte[] bodyBytes, byte[] keyId, byte[] mac)
    {
        Body = body;
        _bodyBytes = bodyBytes;
        _keyId = keyId;
        _mac = mac;
    }

    /// <summary>The report body.</summary>
    public SgxReportBody Body { get; }

    /// <summary>KEYID, the value the report key was derived with.</summary>
    public ReadOnlySpan<byte> KeyId => _keyId;

    /// <summary>The AES-128-CMAC of the body under the target's report key.</summary>
    public ReadOnlySpan<byte> Mac => _mac;

    /// <summary>Creates a report for a target: the MAC is computed under <paramref name="reportKey"/>.</summary>
    /// <param name="body">The reporting enclave's report body.</param>
    /// <param name="keyId">The 32-byte KEYID the report key was derived with.</param>
    /// <param name="reportKey">The 16-byte report key of the target enclave.</param>
    public static SgxReport Create(SgxReportBody body, ReadOnlySpan<byte> keyId, ReadOnlySpan<byte> reportKey)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (keyId.Length != KeyIdSize)
        {
            throw new ArgumentException($"KEYID must be {KeyIdSize} bytes, it is {keyId.Length}.", nameof(keyId));
        }

        byte[] bodyBytes = body.ToBytes();
        byte[] mac = ComputeMac(bodyBytes, reportKey);
        return new SgxReport(body, bodyBytes, keyId.ToArray(), mac);
    }

    /// <summary>Parses exactly <see cref="Size"/> bytes. The MAC is not checked: call <see cref="VerifyMac"/>.</summary>
    /// <exception cref="EvidenceFormatException">The length is wrong or a reserved area is not zero.</exception>
    public static SgxReport Parse(ReadOnlySpan<byte> bytes)
    {
        var reader = new EvidenceReader(bytes, "SGX report");
        byte[] bodyBytes = reader.ReadArray(SgxReportBody.Size, "report body");
        var bodyReader = new EvidenceReader(bodyBytes, "SGX report");
        SgxReportBody body = SgxReportBody.Read(ref bodyReader);
        byte[] keyId = reader.ReadArray(KeyIdSize, "KEYID");
        byte[] mac = reader.ReadArray(MacSize, "MAC");
        reader.ExpectEnd("end of report");
        return new SgxReport(body, bodyBytes, keyId, mac);
    }

    /// <summary>Serializes the report (body, KEYID, MAC).</summary>
    public byte[] ToBytes()
    {
        byte[] bytes = new byte[Size];
        _bodyBytes.CopyTo(bytes, 0);
        _keyId.CopyTo(bytes, SgxReportBody.Size);
        _mac.CopyTo(bytes, SgxReportBody.Size + KeyIdSize);
        return bytes;
    }

    /// <summary>Checks the MAC under the target's report key, in constant time.</summary>
    /// <returns><see langword="true"/> when the MAC matches.</returns>
    public bool IsMacValid(ReadOnlySpan<byte> reportKey)
    {
        byte[] expected = ComputeMac(_bodyBytes, reportKey);
        return CryptographicOperations.FixedTimeEquals(expected, _mac);
    }

    /// <summary>Checks the MAC under the target's report key and throws when it does not match.</summary>
    /// <exception cref="EvidenceVerificationException">The MAC does not match (check <c>report.mac</c>).</exception>
    public void VerifyMac(ReadOnlySpan<byte> reportKey)
    {
        if (!IsMacValid(reportKey))
        {
            throw new EvidenceVerificationException("report.mac", "the report's AES-128-CMAC does not match under this enclave's report key (the report was made for another target, or was altered)");
        }
    }

    /// <summary>
    /// Derives an emulated report key for a target enclave from a platform secret, the way EGETKEY
    /// binds the REPORT key to the target's MRENCLAVE, ATTRIBUTES and MISCSELECT and to KEYID:
    /// HKDF-SHA256 with those fields as info, 16 bytes out.
    /// </summary>
    /// <param name="platformSecret">The platform's report-key secret (at least 16 bytes).</param>
    /// <param name="targetMrEnclave">The target enclave's MRENCLAVE (32 bytes).</param>
    /// <param name="targetAttributes">The target enclave's ATTRIBUTES.</param>
    /// <param name="targetMiscSelect">The target enclave's MISCSELECT.</param>
    /// <param name="keyId">The 32-byte KEYID.</param>
    public static byte[] DeriveReportKey(ReadOnlySpan<byte> platformSecret, ReadOnlySpan<byte> targetMrEnclave, SgxAttributes targetAttributes, uint targetMiscSelect, ReadOnlySpan<byte> keyId)
    {
        if (platformSecret.Length < 16)
        {
            throw new ArgumentException("The platform secret must be at least 16 bytes.", nameof(platformSecret));
        }

        if (targetMrEnclave.Length != 32)
        {
            throw new ArgumentException("MRENCLAVE must be 32 bytes.", nameof(targetMrEnclave));
        }

        if (keyId.Length != KeyIdSize)
        {
            throw new ArgumentException($"KEYID must be {KeyIdSize} bytes.", nameof(keyId));
        }

        ReadOnlySpan<byte> label = "EnclaveGen SGX report key v1"u8;
        byte[] info = new byte[label.Length + 32 + 16 + 4 + KeyIdSize];
        Span<byte> w = info;
        label.CopyTo(w);
        w = w[label.Length..];
        targetMrEnclave.CopyTo(w);
        BinaryPrimitives.WriteUInt64LittleEndian(w[32..], targetAttributes.Flags);
        BinaryPrimitives.WriteUInt64LittleEndian(w[40..], targetAttributes.Xfrm);
        BinaryPrimitives.WriteUInt32LittleEndian(w[48..], targetMiscSelect);
        keyId.CopyTo(w[52..]);
        byte[] key = new byte[ReportKeySize];
        HKDF.DeriveKey(HashAlgorithmName.SHA256, platformSecret, key, salt: [], info);
        return key;
    }

    internal static byte[] ComputeMac(ReadOnlySpan<byte> bodyBytes, ReadOnlySpan<byte> reportKey)
    {
        if (reportKey.Length != ReportKeySize)
        {
            throw new ArgumentException($"A report key is {ReportKeySize} bytes (AES-128), this one is {reportKey.Length}.", nameof(reportKey));
        }

        var cmac = new CMac(new AesEngine(), 128);
        cmac.Init(new KeyParameter(reportKey));
        cmac.BlockUpdate(bodyBytes);
        byte[] mac = new byte[MacSize];
        cmac.DoFinal(mac);
        return mac;
    }
}
