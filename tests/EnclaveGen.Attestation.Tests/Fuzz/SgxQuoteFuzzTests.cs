using EnclaveGen.Attestation.Tests.Emulation;
using EnclaveGen.Attestation.Verification;

namespace EnclaveGen.Attestation.Tests.Fuzz;

/// <summary>
/// Seeded fuzzing of DCAP quotes (the real SGX quote, emulated SGX and TDX quotes): every outcome is
/// an AttestationException, or success on the unchanged quote (with bytes appended, which are padding:
/// counted, never read).
/// </summary>
public sealed class SgxQuoteFuzzTests
{
    internal const int Iterations = 60_000;

    [Fact]
    public void SixtyThousandMutatedSgxAndTdxQuotesThrowOnlyAttestationException()
    {
        byte[] real = TestData.SgxQuote;
        byte[] emulated = EmulatedAuthorityTests.Shared.CreateQuote(EmulatedAuthorityTests.SampleBody());
        byte[] tdx = EmulatedAuthorityTests.Shared.CreateTdxQuote(EmulatedTdxQuoteTests.SampleTd());
        AttestationVerifier verifier = EmulatedAuthorityTests.Verifier;
        var policy = new AttestationPolicy { AllowDebug = true, AllowEmulated = true, VerificationTime = TestData.PinnedTime };
        var emulatedPolicy = policy with { VerificationTime = EmulatedAuthorityTests.During };
        // Signature data length, QE auth data length (16 bits, read as part of 32), certification data length.
        var mutator = new Mutator(seed: 20261127, lengthFieldOffsets: [432, 436 + 576, 436 + 578 + 32 + 2]);
        // TDX: signature data length, type-6 size, QE auth data length, type-5 size.
        var tdxMutator = new Mutator(seed: 584, lengthFieldOffsets: [632, 636 + 128 + 2, 636 + 134 + 448, 636 + 134 + 450 + 32 + 2]);
        var wrongOutcomes = new List<string>();
        int rejected = 0;
        int padded = 0;
        for (int i = 0; i < Iterations; i++)
        {
            // A third each: the real SGX quote, an emulated SGX quote, an emulated TDX quote.
            int kind = i % 3;
            byte[] original = kind switch { 0 => real, 1 => emulated, _ => tdx };
            byte[] mutated = kind == 2 ? tdxMutator.Mutate(original) : mutator.Mutate(original);
            try
            {
                if (kind == 2)
                {
                    verifier.Verify<TdxClaims>(mutated, emulatedPolicy);
                }
                else
                {
                    verifier.Verify<SgxClaims>(mutated, kind == 0 ? policy : emulatedPolicy);
                }

                if (mutated.Length > original.Length && mutated.AsSpan(0, original.Length).SequenceEqual(original))
                {
                    padded++;
                }
                else if (!mutated.AsSpan().SequenceEqual(original))
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
        Assert.True(rejected > (Iterations - padded) * 0.99, $"only {rejected} of {Iterations - padded} mutations that were not appended padding were rejected");
    }
}
