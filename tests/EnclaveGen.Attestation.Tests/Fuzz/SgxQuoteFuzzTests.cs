using EnclaveGen.Attestation.Verification;
using EnclaveGen.Attestation.Tests.Emulation;

namespace EnclaveGen.Attestation.Tests.Fuzz;

/// <summary>Seeded fuzzing of SGX quotes (real and emulated): every outcome is success on unchanged bytes or an AttestationException.</summary>
public sealed class SgxQuoteFuzzTests
{
    internal const int Iterations = 60_000;

    [Fact]
    public void SixtyThousandMutatedQuotesThrowOnlyAttestationException()
    {
        byte[] real = TestData.SgxQuote;
        byte[] emulated = EmulatedAuthorityTests.Shared.CreateQuote(EmulatedAuthorityTests.SampleBody());
        AttestationVerifier verifier = EmulatedAuthorityTests.Verifier;
        var policy = new AttestationPolicy { AllowDebug = true, AllowEmulated = true, VerificationTime = TestData.PinnedTime };
        var emulatedPolicy = policy with { VerificationTime = EmulatedAuthorityTests.During };
        // Signature data length, QE auth data length (16 bits, read as part of 32), certification data length.
        var mutator = new Mutator(seed: 20261127, lengthFieldOffsets: [432, 436 + 576, 436 + 578 + 32 + 2]);
        var wrongOutcomes = new List<string>();
        int rejected = 0;
        for (int i = 0; i < Iterations; i++)
        {
            bool useReal = i % 2 == 0;
            byte[] original = useReal ? real : emulated;
            byte[] mutated = mutator.Mutate(original);
            try
            {
                verifier.VerifySgxQuote(mutated, useReal ? policy : emulatedPolicy);
                if (!mutated.AsSpan().SequenceEqual(original))
                {
                    wrongOutcomes.Add($"iteration {i}: a changed quote verified");
                }
            }
            catch (AttestationException)
            {
                rejected++;
            }
            catch (Exception e)
            {
                wrongOutcomes.Add($"iteration {i}: {e.GetType().Name}: {e.Message}");
            }
        }

        Assert.Empty(wrongOutcomes);
        Assert.True(rejected > Iterations * 0.99, $"only {rejected} of {Iterations} mutations were rejected");
    }
}
