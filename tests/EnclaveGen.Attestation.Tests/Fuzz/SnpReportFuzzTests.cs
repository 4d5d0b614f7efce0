using EnclaveGen.Attestation.Verification;

namespace EnclaveGen.Attestation.Tests.Fuzz;

/// <summary>Seeded fuzzing of SEV-SNP reports and their VCEK: only AttestationException, never another exception.</summary>
public sealed class SnpReportFuzzTests
{
    internal const int Iterations = 40_000;

    [Fact]
    public void FortyThousandMutatedReportsAndVceksThrowOnlyAttestationException()
    {
        // With the 60,000 quotes of SgxQuoteFuzzTests, 100,000 mutated inputs in all.
        byte[] report = TestData.SnpReport;
        byte[] vcek = TestData.VcekDer;
        var verifier = new AttestationVerifier();
        var policy = new AttestationPolicy { AllowDebug = true, VerificationTime = TestData.PinnedTime };
        var reportMutator = new Mutator(seed: 1184, lengthFieldOffsets: [0, 0x30, 0x34, 0x48]);
        var vcekMutator = new Mutator(seed: 1360, lengthFieldOffsets: [2, 6]);
        var wrongOutcomes = new List<string>();
        for (int i = 0; i < Iterations; i++)
        {
            // One in four mutates the VCEK certificate instead of the report.
            bool mutateVcek = i % 4 == 3;
            byte[] mutatedReport = mutateVcek ? report : reportMutator.Mutate(report);
            byte[] mutatedVcek = mutateVcek ? vcekMutator.Mutate(vcek) : vcek;
            try
            {
                verifier.Verify<SnpClaims>(mutatedReport, policy, TestData.Signers(mutatedVcek));
                if (!mutatedReport.AsSpan().SequenceEqual(report) || !mutatedVcek.AsSpan().SequenceEqual(vcek))
                {
                    wrongOutcomes.Add($"iteration {i}: a changed report or VCEK verified");
                }
            }
            catch (AttestationException)
            {
                // Expected.
            }
            catch (Exception e)
            {
                wrongOutcomes.Add($"iteration {i}: {e.GetType().Name}: {e.Message}");
            }
        }

        Assert.Empty(wrongOutcomes);
    }
}
