using EnclaveGen.Attestation.Verification;

namespace EnclaveGen.Attestation.Tests.Verification;

/// <summary>Every single-bit change of the real SGX quote must make verification fail.</summary>
public sealed class SgxTamperTests
{
    private static readonly AttestationPolicy s_policy = new() { AllowDebug = true, VerificationTime = TestData.PinnedTime };

    [Fact]
    public void EveryBitFlipOutsideTheCertificatesFails_Exhaustive()
    {
        // Header, report body, signature data length, signature, attestation key, QE report, QE
        // signature, QE auth data and its length, certification data type and length: all 1052 bytes.
        byte[] quote = TestData.SgxQuote;
        (_, int pemOffset, _) = TamperHelpers.QuoteChain(quote);
        var verifier = new AttestationVerifier();
        var accepted = new List<string>();
        for (int bit = 0; bit < pemOffset * 8; bit++)
        {
            byte[] tampered = TamperHelpers.Flip(quote, bit);
            try
            {
                verifier.Verify<SgxClaims>(tampered, s_policy);
                accepted.Add(TamperHelpers.Describe(tampered, bit));
            }
            catch (AttestationException refused)
            {
                TamperHelpers.AssertUserFacing(refused);
                // Expected: this flip was detected.
            }
        }

        Assert.Equal(1052, pemOffset);
        Assert.Empty(accepted);
    }

    [Theory]
    [InlineData(0, "PCK leaf")]
    [InlineData(1, "PCK Processor CA")]
    [InlineData(2, "embedded Intel root")]
    public void EveryBitFlipInTheDerOfEachCertificateFails_Exhaustive(int index, string name)
    {
        byte[] quote = TestData.SgxQuote;
        byte[] der = TamperHelpers.QuoteChain(quote).Certificates[index];
        var verifier = new AttestationVerifier();
        var accepted = new List<string>();
        for (int bit = 0; bit < der.Length * 8; bit++)
        {
            byte[] tampered = TamperHelpers.WithCertificate(quote, index, TamperHelpers.Flip(der, bit));
            try
            {
                verifier.Verify<SgxClaims>(tampered, s_policy);
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

    [Fact]
    public void EveryBitFlipInThePemTextFails_EveryThirdBit()
    {
        // The PEM text is 3532 bytes; every third bit (9,419 flips) keeps the run short while
        // touching every byte's bits across positions 0..7 in turn.
        byte[] quote = TestData.SgxQuote;
        (_, int pemOffset, int pemLength) = TamperHelpers.QuoteChain(quote);
        var verifier = new AttestationVerifier();
        var accepted = new List<string>();
        for (int bit = pemOffset * 8; bit < (pemOffset + pemLength) * 8; bit += 3)
        {
            byte[] tampered = TamperHelpers.Flip(quote, bit);
            try
            {
                verifier.Verify<SgxClaims>(tampered, s_policy);
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
}
