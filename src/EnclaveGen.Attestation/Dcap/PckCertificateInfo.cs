using Org.BouncyCastle.Asn1;

namespace EnclaveGen.Attestation.X509;

/// <summary>
/// The Intel SGX extension of a PCK certificate (OID 1.2.840.113741.1.13.1): the platform's FMSPC,
/// PCE ID and the TCB the certificate was issued for (16 SGX TCB component SVNs, PCESVN, CPUSVN).
/// </summary>
public sealed class PckCertificateInfo
{
    /// <summary>The OID of the SGX extension.</summary>
    public const string ExtensionOid = "1.2.840.113741.1.13.1";

    private PckCertificateInfo(byte[] ppid, byte[] tcbComponents, ushort pceSvn, byte[] cpuSvn, byte[] pceId, byte[] fmspc, int sgxType)
    {
        Ppid = ppid;
        TcbComponents = tcbComponents;
        PceSvn = pceSvn;
        CpuSvn = cpuSvn;
        PceId = pceId;
        Fmspc = fmspc;
        SgxType = sgxType;
    }

    /// <summary>The platform provisioning ID (16 bytes).</summary>
    public ReadOnlyMemory<byte> Ppid { get; }

    /// <summary>The 16 SGX TCB component SVNs the certificate was issued for.</summary>
    public ReadOnlyMemory<byte> TcbComponents { get; }

    /// <summary>The PCE SVN the certificate was issued for.</summary>
    public ushort PceSvn { get; }

    /// <summary>The CPUSVN the certificate was issued for (16 bytes).</summary>
    public ReadOnlyMemory<byte> CpuSvn { get; }

    /// <summary>The PCE ID (2 bytes).</summary>
    public ReadOnlyMemory<byte> PceId { get; }

    /// <summary>The FMSPC: family, model, stepping, platform type and customer SKU (6 bytes).</summary>
    public ReadOnlyMemory<byte> Fmspc { get; }

    /// <summary>The SGX type (0 Standard, 1 Scalable, 2 Scalable with integrity).</summary>
    public int SgxType { get; }

    /// <summary>Reads the extension from a PCK certificate, or null when it has none.</summary>
    /// <exception cref="EvidenceVerificationException">The extension is malformed (check <c>pck.extension</c>).</exception>
    internal static PckCertificateInfo? Read(ParsedCertificate pck)
    {
        byte[]? value = pck.GetExtensionValue(ExtensionOid);
        if (value is null)
        {
            return null;
        }

        try
        {
            var fields = Fields(Asn1Object.FromByteArray(value), value);
            byte[] ppid = Octets(fields, ".1", 16);
            var tcb = Fields(Get(fields, ".2"), null);
            byte[] components = new byte[16];
            for (int i = 1; i <= 16; i++)
            {
                long svn = Integer(tcb, $".2.{i}");
                components[i - 1] = svn is >= 0 and <= 255 ? (byte)svn : throw new FormatException($"component {i} is {svn}");
            }

            long pceSvn = Integer(tcb, ".2.17");
            byte[] cpuSvn = Octets(tcb, ".2.18", 16);
            byte[] pceId = Octets(fields, ".3", 2);
            byte[] fmspc = Octets(fields, ".4", 6);
            int sgxType = Get(fields, ".5") is DerEnumerated e ? e.IntValueExact : throw new FormatException("SGX Type is not ENUMERATED");
            return new PckCertificateInfo(ppid, components, pceSvn is >= 0 and <= ushort.MaxValue ? (ushort)pceSvn : throw new FormatException("PCESVN out of range"), cpuSvn, pceId, fmspc, sgxType);
        }
        catch (Exception e) when (e is FormatException || ParsedCertificate.IsParserFailure(e))
        {
            throw new EvidenceVerificationException("pck.extension", $"the PCK certificate's SGX extension is malformed ({ErrorText.Message(e)})");
        }
    }

    /// <summary>The extension's DER value, for emulated PCK certificates.</summary>
    internal static byte[] Encode(ReadOnlySpan<byte> ppid, ReadOnlySpan<byte> components, ushort pceSvn, ReadOnlySpan<byte> cpuSvn, ReadOnlySpan<byte> pceId, ReadOnlySpan<byte> fmspc)
    {
        static DerSequence Field(string suffix, Asn1Encodable value) => new(new DerObjectIdentifier(ExtensionOid + suffix), value);
        var tcb = new Asn1EncodableVector();
        for (int i = 1; i <= 16; i++)
        {
            tcb.Add(Field($".2.{i}", DerInteger.ValueOf(components[i - 1])));
        }

        tcb.Add(Field(".2.17", DerInteger.ValueOf(pceSvn)));
        tcb.Add(Field(".2.18", new DerOctetString(cpuSvn.ToArray())));
        return new DerSequence(
            Field(".1", new DerOctetString(ppid.ToArray())),
            Field(".2", new DerSequence(tcb)),
            Field(".3", new DerOctetString(pceId.ToArray())),
            Field(".4", new DerOctetString(fmspc.ToArray())),
            Field(".5", new DerEnumerated(0))).GetDerEncoded();
    }

    private static Dictionary<string, Asn1Encodable> Fields(Asn1Encodable sequence, byte[]? canonical)
    {
        var seq = Asn1Sequence.GetInstance(sequence);
        if (canonical is not null && !seq.GetDerEncoded().AsSpan().SequenceEqual(canonical))
        {
            throw new FormatException("not canonical DER");
        }

        var result = new Dictionary<string, Asn1Encodable>(StringComparer.Ordinal);
        foreach (Asn1Encodable item in seq)
        {
            var pair = Asn1Sequence.GetInstance(item);
            if (pair.Count != 2)
            {
                throw new FormatException("a field is not an (OID, value) pair");
            }

            string oid = DerObjectIdentifier.GetInstance(pair[0]).Id;
            if (!oid.StartsWith(ExtensionOid + ".", StringComparison.Ordinal) || !result.TryAdd(oid[ExtensionOid.Length..], pair[1]))
            {
                throw new FormatException($"unexpected or repeated field {oid}");
            }
        }

        return result;
    }

    private static Asn1Encodable Get(Dictionary<string, Asn1Encodable> fields, string suffix) =>
        fields.TryGetValue(suffix, out Asn1Encodable? value) ? value : throw new FormatException($"field {ExtensionOid}{suffix} is missing");

    private static byte[] Octets(Dictionary<string, Asn1Encodable> fields, string suffix, int length)
    {
        byte[] octets = Asn1OctetString.GetInstance(Get(fields, suffix)).GetOctets();
        return octets.Length == length ? octets : throw new FormatException($"field {ExtensionOid}{suffix} is {octets.Length} bytes, expected {length}");
    }

    private static long Integer(Dictionary<string, Asn1Encodable> fields, string suffix)
    {
        var integer = DerInteger.GetInstance(Get(fields, suffix));
        return integer.Value.BitLength <= 31 ? integer.Value.LongValue : -1;
    }
}
