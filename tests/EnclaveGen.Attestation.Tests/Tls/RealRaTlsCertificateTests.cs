using System.Security.Cryptography.X509Certificates;
using EnclaveGen.Attestation.Tls;
using EnclaveGen.Attestation.Verification;

namespace EnclaveGen.Attestation.Tests.Tls;

/// <summary>RA-TLS certificates made by Gramine, the Intel SGX SDK and rats-tls on real SGX hardware (tests/testdata/attestation/ra-tls).</summary>
public sealed class RealRaTlsCertificateTests
{
    // Debug enclaves (ATTRIBUTES.DEBUG set), so only a policy that allows debug accepts them.
    private static readonly AttestationPolicy s_allowDebug = new() { AllowDebug = true, VerificationTime = TestData.PinnedTime };

    public static TheoryData<string, string> Certificates => new()
    {
        { "ratls-gramine.pem", "0866e7ca11b9f4efe4bf39b2607f4e1299f111920d96d95719080f01b62b7585" },
        { "ratls-intel-sgxsdk.pem", "09e218a4be9dadbf7cdc82c45497d6d4f676d3b75445fc37a376f0b65b47de6a" },
        { "ratls-rats-tls.pem", "38e1b40b8c68186f359c97ecb6a89965d9d8638f2df06fbe18e84d79a266c041" },
    };

    [Theory]
    [MemberData(nameof(Certificates))]
    public void RealCertificateVerifiesUnderTheIntelRootAndBindsItsKey(string file, string mrEnclave)
    {
        using X509Certificate2 certificate = TlsFixtures.Real(file);

        AttestedTlsPeer peer = AttestedTls.Verify(certificate, s_allowDebug with { ExpectedUniqueIds = [Convert.FromHexString(mrEnclave)] });

        Assert.False(peer.Claims.IsEmulated);
        Assert.True(peer.Claims.IsDebug);
        Assert.Equal(RaTlsFormat.Sha256AlgorithmId, peer.Evidence.PublicKeyHashAlgorithm);
    }

    public static TheoryData<string> Files => new() { "ratls-gramine.pem", "ratls-intel-sgxsdk.pem", "ratls-rats-tls.pem" };

    [Theory]
    [MemberData(nameof(Files))]
    public void RealDebugCertificateIsRefusedByTheDefaultPolicy(string file)
    {
        using X509Certificate2 certificate = TlsFixtures.Real(file);

        AttestedTlsException e = Assert.Throws<AttestedTlsException>(() => AttestedTls.Verify(certificate, AttestationPolicy.Default with { VerificationTime = TestData.PinnedTime }));

        Assert.Equal(AttestedTlsFailure.PolicyRefused, e.Reason);
        Assert.Equal("policy.debug", Assert.IsAssignableFrom<AttestationException>(e.InnerException).Check);
    }

    [Fact]
    public void RealEvidenceCopiedIntoAnAttackersCertificateIsKeyNotBound()
    {
        using X509Certificate2 gramine = TlsFixtures.Real("ratls-gramine.pem");
        using X509Certificate2 attacker = TlsFixtures.WithExtension(TlsFixtures.ExtensionOf(gramine));

        AttestedTlsException e = Assert.Throws<AttestedTlsException>(() => AttestedTls.Verify(attacker, s_allowDebug));

        Assert.Equal(AttestedTlsFailure.KeyNotBound, e.Reason);
    }
}
