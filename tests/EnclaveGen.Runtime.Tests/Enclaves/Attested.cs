using EnclaveGen;
using EnclaveGen.Attestation.Channel;

namespace EnclaveGen.Runtime.Tests.Enclaves;

/// <summary>An enclave that proves itself to a relying party and receives its inputs over an attested channel.</summary>
[Enclave]
public partial class Aggregator
{
    private AttestedChannelOffer? _offer;
    private AttestedSession? _session;
    private long _sum;
    private int _count;

    /// <summary>Step 1: a quote binding a fresh channel key (and the relying party's nonce).</summary>
    [Trusted]
    public (byte[] Quote, byte[] PublicKey) Offer(byte[] nonce)
    {
        _offer?.Dispose();
        _offer = AttestedChannelOffer.Create(nonce);
        return (_offer.Quote, _offer.PublicKey.ToArray());
    }

    /// <summary>Step 2: the relying party's key completes the handshake.</summary>
    [Trusted]
    public void Accept(byte[] relyingPartyPublicKey)
    {
        AttestedChannelOffer offer = _offer ?? throw new InvalidOperationException("Call Offer first.");
        _session = offer.Accept(relyingPartyPublicKey);
        offer.Dispose();
        _offer = null;
    }

    /// <summary>A sealed record from the relying party: decrypted only here.</summary>
    [Trusted]
    public void Submit(byte[] record)
    {
        AttestedSession session = _session ?? throw new InvalidOperationException("No channel.");
        byte[] value = session.Open(record);
        _sum += BitConverter.ToInt32(value);
        _count++;
    }

    /// <summary>Only the aggregate leaves, sealed for the relying party.</summary>
    [Trusted]
    public byte[] Mean()
    {
        AttestedSession session = _session ?? throw new InvalidOperationException("No channel.");
        return session.Seal(BitConverter.GetBytes(_count == 0 ? 0.0 : (double)_sum / _count));
    }

    [Trusted] public byte[] TargetInfo() => EnclaveAttestation.TargetInfo.ToBytes();

    /// <summary>Remote evidence in the format of the enclave's TEE profile.</summary>
    [Trusted]
    public (string Format, byte[] Evidence, IReadOnlyList<byte[]> Certificates, byte[] EnclaveReport, bool IsEmulated) Evidence(byte[] reportData)
    {
        PlatformEvidence evidence = EnclaveAttestation.CreateEvidence(reportData);
        return (evidence.Format.Id, evidence.Evidence, evidence.Certificates, evidence.EnclaveReport ?? [], evidence.IsEmulated);
    }

    [Trusted] public byte[] ReportFor(byte[] targetInfo, byte[] reportData) => EnclaveAttestation.CreateReport(EnclaveTargetInfo.Parse(targetInfo), reportData);

    [Trusted] public byte[] VerifyReport(byte[] report) => EnclaveAttestation.VerifyReport(report).ReportData.ToArray();

    [Trusted] public byte[] SealNote(string note, SealingPolicy policy) => EnclaveSealing.SealString(note, policy);

    [Trusted] public string UnsealNote(byte[] sealedNote) => Secrets.Declassify(EnclaveSealing.UnsealString(sealedNote), "test: shows what unsealed");
}

/// <summary>A second enclave class, for local attestation between different enclaves.</summary>
[Enclave]
public partial class Witness
{
    [Trusted] public byte[] TargetInfo() => EnclaveAttestation.TargetInfo.ToBytes();

    [Trusted] public byte[] ReportFor(byte[] targetInfo, byte[] reportData) => EnclaveAttestation.CreateReport(EnclaveTargetInfo.Parse(targetInfo), reportData);

    [Trusted] public byte[] VerifyReport(byte[] report) => EnclaveAttestation.VerifyReport(report).ReportData.ToArray();

    [Trusted] public string UnsealNote(byte[] sealedNote) => Secrets.Declassify(EnclaveSealing.UnsealString(sealedNote), "test: shows what unsealed");
}
