using EnclaveGen.Shared;
using Microsoft.CodeAnalysis;

namespace EnclaveGen.Analyzers.Taint;

/// <summary>
/// Turns integrity findings (EG6xxx) into diagnostics: the host-controlled origin the finding
/// depends on (an OCALL, a clock, an ECALL argument for EG6002) names the source, and its call
/// site is an additional location.
/// </summary>
internal static class IntegrityWriter
{
    public static Diagnostic? ToDiagnostic(Finding finding, Compilation compilation, Func<Location, Location?> place)
    {
        Origin? source = Source(finding.Taint, finding.Kind);
        if (source is null)
        {
            return null;
        }

        Location[] additional = DiagnosticWriter.AdditionalLocations(source, finding, place);
        return finding.Kind switch
        {
            FindingKind.HostDecidedCheck => Diagnostic.Create(DiagnosticDescriptors.HostDecidedSecurityCheck, finding.Location, additional, finding.SinkName, source.Name, Describe(source)),
            FindingKind.HostSizedResource => Diagnostic.Create(DiagnosticDescriptors.HostSizedResource, finding.Location, additional, finding.SinkName, source.Name, (source.Label & Label.CallerSupplied) != 0 ? "the ECALL's caller" : "the host"),
            FindingKind.HostKeyMaterial => Diagnostic.Create(DiagnosticDescriptors.HostKeyMaterial, finding.Location, additional, finding.SinkName.Split('\u0001')[0], finding.SinkName.Split('\u0001').Last(), source.Name),
            FindingKind.UnauthenticatedState => Diagnostic.Create(DiagnosticDescriptors.UnauthenticatedHostState, finding.Location, additional, finding.SinkName, source.Name),
            _ => Diagnostic.Create(DiagnosticDescriptors.HostTimeDecision, finding.Location, additional, finding.SinkName, source.Name, TrustedTimeAdvice(compilation)),
        };
    }

    /// <summary>The origin a finding of <paramref name="kind"/> is about, or null when none of its labels counts for that rule.</summary>
    public static Origin? Source(Taint taint, FindingKind kind) => kind switch
    {
        FindingKind.HostSizedResource => taint.Entries.FirstOrDefault(e => (e.Origin.Label & (Label.HostControlled | Label.CallerSupplied)) != 0 && e.Origin.Kind != HostDataKind.Time && IsUnboundedExplicit(e.Flags)).Origin,
        FindingKind.UnauthenticatedState => FirstHost(taint, HostDataKind.Bytes),
        FindingKind.HostTime => FirstHost(taint, HostDataKind.Time),
        FindingKind.HostDecidedCheck => taint.Entries.FirstOrDefault(e => (e.Origin.Label & Label.HostControlled) != 0 && e.Origin.Kind != HostDataKind.Time).Origin,
        _ => taint.FirstOrigin(Label.HostControlled, flags => (flags & (TaintFlags.Implicit | TaintFlags.LengthOnly)) == 0),
    };

    /// <summary>What EG6002 counts: an explicit number (not only a length of data already copied in) with no bound.</summary>
    public static bool IsUnboundedExplicit(TaintFlags flags) => (flags & (TaintFlags.Implicit | TaintFlags.LengthOnly | TaintFlags.Bounded)) == 0;

    private static Origin? FirstHost(Taint taint, HostDataKind kind) =>
        taint.Entries.FirstOrDefault(e => (e.Origin.Label & Label.HostControlled) != 0 && e.Origin.Kind == kind && (e.Flags & (TaintFlags.Implicit | TaintFlags.LengthOnly)) == 0).Origin;

    private static string Describe(Origin origin) => origin.Kind switch
    {
        HostDataKind.Bytes => "bytes an OCALL returned",
        _ when origin.Location is null => "a value of the host",
        _ => "an OCALL result",
    };

    // The runtime's monotonic counters exist when the project references EnclaveGen.Runtime.
    private static string TrustedTimeAdvice(Compilation compilation) =>
        compilation.GetTypeByMetadataName("EnclaveGen.EnclaveCounters") is not null
            ? "count events with a monotonic counter (EnclaveCounters.Increment) for rate limits and replay windows, and take expiry from a time the enclave can verify (a signed timestamp in attested evidence)"
            : "count events with a monotonic counter sealed by the enclave for rate limits and replay windows, and take expiry from a time the enclave can verify (a signed timestamp in attested evidence)";
}
