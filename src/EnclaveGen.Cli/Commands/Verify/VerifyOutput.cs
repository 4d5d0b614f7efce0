using System.Text.Json;
using EnclaveGen.Attestation;
using EnclaveGen.Cli.CommandLine;
using EnclaveGen.Attestation.Formats;
using EnclaveGen.Attestation.Verification;

namespace EnclaveGen.Cli.Commands.Verify;

/// <summary>
/// What <c>enclavegen verify</c> prints: text for people or one JSON object, both rendered from the
/// claims' own description (<see cref="AttestationClaims.Fields"/>), never from a switch on the format.
/// </summary>
internal sealed class VerifyOutput(TextWriter output, TextWriter error, bool json)
{
    private readonly CommandOutput _common = new(output, error, json);

    /// <summary>Prints an unusable argument or input (exit code 2): on standard error, or as <c>{"error":{...}}</c> with --json.</summary>
    public int Unusable(string message) => _common.Fail(VerifyCommand.UnusableArguments, CommandErrors.VerifyFailed, message);

    /// <summary>Prints evidence that failed a check before any claim was established (exit code 1).</summary>
    public int Invalid(EvidenceFormat? format, string encoding, int length, AttestationException e)
    {
        if (json)
        {
            WriteJson(w =>
            {
                w.WriteString("family", format?.Family ?? "unknown");
                w.WriteString("format", format?.Id ?? "unknown");
                w.WriteBoolean("valid", false);
                w.WriteString("failedCheck", e.Check);
                w.WriteString("error", e.Message);
            });
        }
        else
        {
            output.WriteLine($"Evidence: {Describe(format, encoding, length)}");
            output.WriteLine($"INVALID: {e.Message}");
            output.WriteLine($"Failed check: {e.Check}");
        }

        return VerifyCommand.Invalid;
    }

    /// <summary>Prints verified claims and the policy's verdict (exit code 0 when accepted, 1 when refused).</summary>
    public int Verified(AttestationClaims claims, string encoding, int length, AttestationPolicyException? refusal)
    {
        if (json)
        {
            WriteJson(w =>
            {
                w.WriteString("family", claims.Format.Family);
                w.WriteString("format", claims.Format.Id);
                w.WriteBoolean("valid", refusal is null);
                if (refusal is not null)
                {
                    w.WriteString("failedCheck", refusal.Check);
                    w.WriteString("error", refusal.Message);
                }

                foreach (ClaimField field in claims.Fields)
                {
                    field.Value.WriteJson(w, field.Name);
                }
            });
        }
        else
        {
            WriteText(claims, encoding, length, refusal);
        }

        return refusal is null ? VerifyCommand.Valid : VerifyCommand.Invalid;
    }

    /// <summary>The line every emulated piece of evidence gets in text output.</summary>
    internal const string EmulatedBanner = "!!! EMULATED: this evidence comes from an emulated platform; it protects nothing from the host. !!!";

    private void WriteText(AttestationClaims claims, string encoding, int length, AttestationPolicyException? refusal)
    {
        output.WriteLine($"Evidence: {Describe(claims.Format, encoding, length)}");
        output.WriteLine($"Signatures and certificate chain: verified (trust anchor: {claims.TrustAnchor})");
        if (claims.IsEmulated)
        {
            output.WriteLine(EmulatedBanner);
        }

        if (claims.IsDebug)
        {
            output.WriteLine("!!! DEBUG: this enclave/guest runs in debug mode; its memory can be read. Never trust it with secrets. !!!");
        }

        if (claims.Tcb is { } tcb)
        {
            output.WriteLine($"TCB status: {tcb.Status}{(tcb.AdvisoryIds.Count > 0 ? $" (advisories {string.Join(", ", tcb.AdvisoryIds)})" : string.Empty)}; collateral current until {tcb.CollateralExpiresAt.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}");
        }
        else
        {
            output.WriteLine($"!!! TCB NOT EVALUATED: {claims.TcbNotEvaluatedReason}. The platform may lack security patches; VALID below says nothing about them. !!!");
        }

        int width = claims.Fields.Max(f => f.Label.Length) + 1;
        foreach (ClaimField field in claims.Fields)
        {
            output.WriteLine($"  {(field.Label + ":").PadRight(width)} {field.Value.ToText()}");
        }

        if (refusal is null)
        {
            output.WriteLine("VALID");
            return;
        }

        output.WriteLine($"INVALID: refused by policy: {refusal.Message}{Hint(refusal.Check)}");
        output.WriteLine($"Failed check: {refusal.Check}");
    }

    private static string Hint(string check) => check switch
    {
        "policy.debug" => " (use --allow-debug to accept)",
        "policy.emulated" => " (use --allow-emulated to accept)",
        "policy.tcbStatus" => " (use --allow-tcb STATUS or --allow-outdated-tcb to accept a status)",
        _ => string.Empty,
    };

    private static string Describe(EvidenceFormat? format, string encoding, int length) =>
        format is null ? $"unknown format ({encoding}, {length} bytes)" : $"{format.DisplayName} ({format.Id}, family {format.Family}, {encoding}, {length} bytes)";

    private void WriteJson(Action<Utf8JsonWriter> body) => _common.WriteJson(body);
}
