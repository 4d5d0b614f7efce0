using System.Text;
using EnclaveGen.Attestation.SecretRelease;
using EnclaveGen.Attestation.Tls;

namespace EnclaveGen.Attestation.Tests.SecretRelease;

/// <summary>The refusal body a secret release service writes and an enclave reads: every reason round-trips; anything else is not a refusal.</summary>
public sealed class SecretReleaseRefusalTests
{
    [Theory]
    [InlineData(AttestedTlsFailure.NoEvidence)]
    [InlineData(AttestedTlsFailure.EvidenceInvalid)]
    [InlineData(AttestedTlsFailure.KeyNotBound)]
    [InlineData(AttestedTlsFailure.PolicyRefused)]
    [InlineData(AttestedTlsFailure.ProtocolRefused)]
    public void EveryReasonRoundTripsWithItsDetail(AttestedTlsFailure reason)
    {
        AttestedTlsException refusal = new(reason, "the detail \"quoted\", with a line\nbreak");

        (AttestedTlsFailure Reason, string Detail)? read = SecretReleaseRefusal.Read(SecretReleaseRefusal.Write(refusal));

        Assert.Equal(reason, read?.Reason);
        Assert.Equal(refusal.Message, read?.Detail);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("{}")]
    [InlineData("{\"reason\":3}")]
    [InlineData("{\"reason\":\"3\"}")]
    [InlineData("{\"reason\":\"99\"}")]
    [InlineData("{\"reason\":\"policyrefused\"}")]
    [InlineData("{\"reason\":\"Released\"}")]
    [InlineData("{\"reason\":\"PolicyRefused\"")]
    [InlineData("{\"reason\":\"PolicyRefused\"} trailing")]
    public void ABodyThatIsNotARefusalReadsAsNone(string body) =>
        Assert.Null(SecretReleaseRefusal.Read(Encoding.UTF8.GetBytes(body)));

    [Fact]
    public void AnOversizedBodyIsNotRead()
    {
        string padding = new('x', SecretReleaseRefusal.MaxBytes);
        Assert.Null(SecretReleaseRefusal.Read(Encoding.UTF8.GetBytes($"{{\"reason\":\"PolicyRefused\",\"detail\":\"{padding}\"}}")));
    }

    [Fact]
    public void ARefusalWithoutDetailReadsWithAnEmptyOne()
    {
        Assert.Equal((AttestedTlsFailure.KeyNotBound, string.Empty), SecretReleaseRefusal.Read("{\"reason\":\"KeyNotBound\"}"u8.ToArray()));
    }

    [Fact]
    public void TheExceptionNamesItsCheckAndKeepsTheServicesReason()
    {
        SecretReleaseException e = new(SecretReleaseFailure.Refused, AttestedTlsFailure.PolicyRefused, "the service refused this enclave");

        Assert.Equal("secretRelease.refused", e.Check);
        Assert.Equal(AttestedTlsFailure.PolicyRefused, e.Reason);
        Assert.StartsWith("secretRelease.refused: ", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => new SecretReleaseException((SecretReleaseFailure)42, null, "x"));
    }
}
