using System.Text;
using EnclaveGen.Attestation.Channel;
using EnclaveGen.Attestation.Formats;
using EnclaveGen.Attestation.Tests.Emulation;
using EnclaveGen.Attestation.Verification;

namespace EnclaveGen.Attestation.Tests.Channel;

public sealed class AttestedChannelTests
{
    private static readonly byte[] s_nonce = Enumerable.Range(0, 32).Select(i => (byte)(i + 100)).ToArray();
    private static readonly AttestationPolicy s_policy = new() { AllowEmulated = true, VerificationTime = EmulatedAuthorityTests.During };

    /// <summary>The enclave's side: a key, and a quote whose REPORTDATA binds it (and the nonce).</summary>
    private static (EnclaveChannelKey Key, byte[] Quote) EnclaveOffer(bool debug = false)
    {
        EnclaveChannelKey key = EnclaveChannelKey.Create();
        SgxReportBody body = EmulatedAuthorityTests.SampleBody(debug) with { ReportData = key.CreateReportData(s_nonce) };
        return (key, EmulatedAuthorityTests.Shared.CreateQuote(body));
    }

    private static (AttestedSession Enclave, AttestedSession RelyingParty) Connect()
    {
        (EnclaveChannelKey key, byte[] quote) = EnclaveOffer();
        using (key)
        {
            RelyingPartyChannel rp = RelyingPartyChannel.ConnectToSgxEnclave(EmulatedAuthorityTests.Verifier, quote, key.PublicKey.Span, s_policy, s_nonce);
            AttestedSession enclave = key.Accept(rp.PublicKey.Span, s_nonce);
            return (enclave, rp.Session);
        }
    }

    /// <summary>A session pair from the same key agreement, without the quote (for tests of records alone).</summary>
    private static (AttestedSession Enclave, AttestedSession RelyingParty) PairWithoutAttestation()
    {
        using var enclaveKey = System.Security.Cryptography.ECDiffieHellman.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        using var rpKey = System.Security.Cryptography.ECDiffieHellman.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        byte[] enclavePublic = ChannelKeys.ExportPublic(enclaveKey);
        byte[] rpPublic = ChannelKeys.ExportPublic(rpKey);
        return (AttestedSession.Create(enclaveKey, enclavePublic, rpPublic, true, s_nonce), AttestedSession.Create(rpKey, rpPublic, enclavePublic, false, s_nonce));
    }

    [Fact]
    public void BothSidesExchangeRecordsAndTheHostSeesOnlyCiphertext()
    {
        (AttestedSession enclave, AttestedSession rp) = Connect();
        byte[] secret = Encoding.UTF8.GetBytes("the relying party's input: 42");

        byte[] toEnclave = rp.Seal(secret);
        byte[] received = enclave.Open(toEnclave);
        byte[] reply = enclave.Open(rp.Seal([])).Length == 0 ? enclave.Seal("ack"u8) : [];

        Assert.Equal(secret, received);
        Assert.Equal("ack", Encoding.UTF8.GetString(rp.Open(reply)));
        Assert.Equal(-1, toEnclave.AsSpan().IndexOf("42"u8));
        Assert.Equal(enclave.ChannelBinding.ToArray(), rp.ChannelBinding.ToArray());
    }

    [Fact]
    public void ManInTheMiddleSwappingTheEnclaveKeyIsRefusedByTheRelyingParty()
    {
        (EnclaveChannelKey key, byte[] quote) = EnclaveOffer();
        using EnclaveChannelKey hostKey = EnclaveChannelKey.Create();

        // The host forwards the genuine quote but its own key, hoping to read the traffic.
        var e = Assert.Throws<AttestationPolicyException>(() => RelyingPartyChannel.ConnectToSgxEnclave(EmulatedAuthorityTests.Verifier, quote, hostKey.PublicKey.Span, s_policy, s_nonce));

        Assert.Equal("policy.reportData", e.Check);
        key.Dispose();
    }

    [Fact]
    public void ManInTheMiddleSwappingTheRelyingPartyKeyCannotTalkToTheEnclave()
    {
        (EnclaveChannelKey key, byte[] quote) = EnclaveOffer();
        RelyingPartyChannel rp = RelyingPartyChannel.ConnectToSgxEnclave(EmulatedAuthorityTests.Verifier, quote, key.PublicKey.Span, s_policy, s_nonce);
        using EnclaveChannelKey host = EnclaveChannelKey.Create();

        // The host hands the enclave its own key instead of the relying party's.
        AttestedSession enclave = key.Accept(host.PublicKey.Span, s_nonce);
        var e = Assert.Throws<AttestedChannelException>(() => enclave.Open(rp.Session.Seal("secret"u8)));

        Assert.Equal("channel.authentication", e.Check);
        key.Dispose();
    }

    [Fact]
    public void StaleNonceIsRefused()
    {
        (EnclaveChannelKey key, byte[] quote) = EnclaveOffer();
        byte[] otherNonce = new byte[32];

        var e = Assert.Throws<AttestationPolicyException>(() => RelyingPartyChannel.ConnectToSgxEnclave(EmulatedAuthorityTests.Verifier, quote, key.PublicKey.Span, s_policy, otherNonce));

        Assert.Equal("policy.reportData", e.Check);
        key.Dispose();
    }

    [Fact]
    public void DebugEnclaveQuoteIsRefusedByAProductionPolicy()
    {
        (EnclaveChannelKey key, byte[] quote) = EnclaveOffer(debug: true);

        var e = Assert.Throws<AttestationPolicyException>(() => RelyingPartyChannel.ConnectToSgxEnclave(EmulatedAuthorityTests.Verifier, quote, key.PublicKey.Span, s_policy, s_nonce));

        Assert.Equal("policy.debug", e.Check);
        key.Dispose();
    }

    [Fact]
    public void ReplayedRecordIsRefused()
    {
        (AttestedSession enclave, AttestedSession rp) = Connect();
        byte[] record = rp.Seal("once"u8);
        enclave.Open(record);

        var e = Assert.Throws<AttestedChannelException>(() => enclave.Open(record));

        Assert.Equal("channel.sequence", e.Check);
        Assert.Contains("replayed", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReorderedRecordsAreRefused()
    {
        (AttestedSession enclave, AttestedSession rp) = Connect();
        byte[] first = rp.Seal("1"u8);
        byte[] second = rp.Seal("2"u8);

        var e = Assert.Throws<AttestedChannelException>(() => enclave.Open(second));

        Assert.Equal("channel.sequence", e.Check);
        Assert.Equal("channel.failed", Assert.Throws<AttestedChannelException>(() => enclave.Open(first)).Check);
    }

    [Fact]
    public void TruncatedRecordIsRefused()
    {
        (AttestedSession enclave, AttestedSession rp) = Connect();
        byte[] record = rp.Seal("hello"u8);

        Assert.Equal("channel.authentication", Assert.Throws<AttestedChannelException>(() => enclave.Open(record.AsSpan(0, record.Length - 1))).Check);

        (enclave, rp) = Connect();
        Assert.Equal("channel.truncated", Assert.Throws<AttestedChannelException>(() => enclave.Open(rp.Seal([]).AsSpan(0, 24))).Check);
    }

    [Fact]
    public void EveryBitFlipOfARecordIsRefused_Exhaustive()
    {
        (AttestedSession _, AttestedSession rp) = Connect();
        byte[] record = rp.Seal("tamper with me"u8);
        int accepted = 0;
        for (int bit = 0; bit < record.Length * 8; bit++)
        {
            (AttestedSession enclave, AttestedSession sender) = PairWithoutAttestation();
            byte[] fresh = sender.Seal("tamper with me"u8);
            fresh[bit / 8] ^= (byte)(1 << (bit % 8));
            try
            {
                enclave.Open(fresh);
                accepted++;
            }
            catch (AttestedChannelException)
            {
                // Expected.
            }
        }

        Assert.Equal(0, accepted);
    }

    [Fact]
    public void CloseRecordEndsTheStreamAndRevealsTruncation()
    {
        (AttestedSession enclave, AttestedSession rp) = Connect();
        enclave.Open(rp.Seal("last data"u8));
        Assert.False(enclave.PeerClosed); // a stream cut here is visible: no close record yet

        enclave.Open(rp.SealClose());

        Assert.True(enclave.PeerClosed);
        Assert.Throws<InvalidOperationException>(() => rp.Seal("more"u8));
    }

    [Fact]
    public void RecordFromTheOtherDirectionIsRefused()
    {
        (AttestedSession enclave, AttestedSession rp) = Connect();
        byte[] fromEnclave = enclave.Seal("reflect me"u8);

        // The host reflects the enclave's record back to it.
        var e = Assert.Throws<AttestedChannelException>(() => enclave.Open(fromEnclave));

        Assert.Equal("channel.authentication", e.Check);
        Assert.Equal("reflect me", Encoding.UTF8.GetString(rp.Open(fromEnclave)));
    }

    [Fact]
    public void MalformedPeerKeyIsRefused()
    {
        using EnclaveChannelKey key = EnclaveChannelKey.Create();
        byte[] notOnCurve = new byte[65];
        notOnCurve[0] = 4;
        notOnCurve[64] = 1;

        Assert.Equal("channel.publicKey", Assert.Throws<AttestedChannelException>(() => key.Accept(notOnCurve)).Check);
        Assert.Equal("channel.publicKey", Assert.Throws<AttestedChannelException>(() => key.Accept(new byte[33])).Check);
    }

    [Fact]
    public void ChannelOverARealSnpReportRefusesAKeyItDoesNotBind()
    {
        // The real report's REPORT_DATA is 0102030405...: no key hash, so no channel can bind to it.
        using EnclaveChannelKey key = EnclaveChannelKey.Create();
        var policy = new AttestationPolicy { AllowDebug = true, VerificationTime = TestData.PinnedTime };

        var e = Assert.Throws<AttestationPolicyException>(() => RelyingPartyChannel.Connect(new AttestationVerifier(), TestData.SnpReport, TestData.Signers(TestData.VcekDer), key.PublicKey.Span, policy));

        Assert.Equal("policy.reportData", e.Check);
    }
}
