using EnclaveGen.Attestation.Verification;

namespace EnclaveGen.Attestation.Tests.Verification;

/// <summary>Every single-bit change of the real SEV-SNP report or its certificates must make verification fail.</summary>
public sealed class SnpTamperTests
{
    private static readonly AttestationPolicy s_policy = new() { AllowDebug = true, VerificationTime = TestData.PinnedTime };

    [Fact]
    public void EveryBitFlipInTheReportFails_Exhaustive()
    {
        // The signed region [0, 0x2A0) and the signature area [0x2A0, 0x4A0): all 9,472 bits.
        byte[] report = TestData.SnpReport;
        EvidenceInput certificates = TestData.Signers(TestData.VcekDer);
        var verifier = new AttestationVerifier();
        var accepted = new List<string>();
        for (int bit = 0; bit < report.Length * 8; bit++)
        {
            byte[] tampered = TamperHelpers.Flip(report, bit);
            try
            {
                verifier.Verify<SnpClaims>(tampered, s_policy, certificates);
                accepted.Add(TamperHelpers.Describe(tampered, bit));
            }
            catch (AttestationException refused)
            {
                TamperHelpers.AssertUserFacing(refused);
                // Expected.
            }
        }

        Assert.Empty(accepted);
    }

    [Theory]
    [InlineData(0, "VCEK")]
    [InlineData(1, "ASK")]
    [InlineData(2, "ARK")]
    public void EveryBitFlipInTheDerOfEachCertificateFails_Exhaustive(int index, string name)
    {
        byte[] report = TestData.SnpReport;
        IReadOnlyList<byte[]> askArk = TrustAnchor.ReadCertificates(TestData.AskArkPem);
        byte[][] all = [TestData.VcekDer, askArk[0], askArk[1]];
        byte[] der = all[index];
        var verifier = new AttestationVerifier();
        var accepted = new List<string>();
        for (int bit = 0; bit < der.Length * 8; bit++)
        {
            byte[][] tampered = (byte[][])all.Clone();
            tampered[index] = TamperHelpers.Flip(der, bit);
            try
            {
                verifier.Verify<SnpClaims>(report, s_policy, TestData.Signers(tampered[0], tampered[1], tampered[2]));
                accepted.Add(TamperHelpers.Describe(der, bit));
            }
            catch (AttestationException refused)
            {
                TamperHelpers.AssertUserFacing(refused);
                // Expected.
            }
        }

        Assert.True(accepted.Count == 0, $"{name}: accepted flips {string.Join(", ", accepted)}");
    }
}
