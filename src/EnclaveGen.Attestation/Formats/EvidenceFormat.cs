namespace EnclaveGen.Attestation.Formats;

/// <summary>
/// A kind of TEE evidence, such as an Intel SGX quote or an AMD SEV-SNP report. Each format
/// declares its own instance in its own folder (a part of this partial class next to its parser and
/// verifier), so adding a format adds a file there rather than a member here.
/// </summary>
/// <remarks>
/// Instances are singletons: compare them with <c>==</c>. <see cref="Id"/> is the stable name used
/// in JSON output and messages (for example <c>sgx-quote</c>); the version of a format (quote v3 to
/// v5, report v2 to v5) is a claim of the evidence, not part of its format.
/// </remarks>
public sealed partial class EvidenceFormat
{
    private EvidenceFormat(string id, string displayName)
    {
        Id = id;
        DisplayName = displayName;
        Family = id;
    }

    /// <summary>The stable identifier, lowercase with dashes (for example <c>tdx-quote</c>).</summary>
    public string Id { get; }

    /// <summary>A name for people (for example "Intel TDX DCAP quote").</summary>
    public string DisplayName { get; }

    /// <summary>
    /// The TEE family the evidence comes from, lowercase with dashes: <c>sgx</c> (process enclaves),
    /// <c>sev-snp</c> and <c>tdx</c> (confidential VMs). Several formats may share a family.
    /// </summary>
    public string Family { get; private init; }

    /// <inheritdoc/>
    public override string ToString() => Id;
}
