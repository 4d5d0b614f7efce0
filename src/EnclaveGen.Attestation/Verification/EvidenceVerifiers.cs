using EnclaveGen.Attestation.Formats;

namespace EnclaveGen.Attestation.Verification;

/// <summary>
/// The registration table of evidence formats: one row per format. A new format is its own folder
/// (layout, verifier, claims, format policy) plus one row here.
/// </summary>
public static class EvidenceVerifiers
{
    /// <summary>The verifiers of the built-in formats.</summary>
    public static IReadOnlyList<IEvidenceVerifier> BuiltIn { get; } =
    [
        new SgxQuoteVerifier(),
        new TdxQuoteVerifier(),
        new SnpReportVerifier(),
        new Cvm.CvmEnclaveVerifier(),
    ];

    /// <summary>The verifier among <paramref name="verifiers"/> that recognises <paramref name="evidence"/>, or null.</summary>
    /// <exception cref="InvalidOperationException">Two verifiers recognise the same input (a registration bug, not bad evidence).</exception>
    public static IEvidenceVerifier? Find(IReadOnlyList<IEvidenceVerifier> verifiers, ReadOnlySpan<byte> evidence)
    {
        ArgumentNullException.ThrowIfNull(verifiers);
        IEvidenceVerifier? found = null;
        foreach (IEvidenceVerifier verifier in verifiers)
        {
            if (verifier.Recognizes(evidence))
            {
                if (found is not null)
                {
                    throw new InvalidOperationException($"Both the {found.Format.Id} and the {verifier.Format.Id} verifier recognise this evidence; their Recognizes methods overlap.");
                }

                found = verifier;
            }
        }

        return found;
    }

    /// <summary>The display names of the formats, for messages ("an Intel SGX DCAP quote, ...").</summary>
    internal static string Describe(IReadOnlyList<IEvidenceVerifier> verifiers) =>
        string.Join(", ", verifiers.Select(v => v.Format.DisplayName));

    /// <summary>The format of <paramref name="evidence"/> among the built-in formats, or null when none recognises it.</summary>
    public static EvidenceFormat? Detect(ReadOnlySpan<byte> evidence) => Find(BuiltIn, evidence)?.Format;
}
