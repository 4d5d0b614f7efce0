using System.CommandLine;
using EnclaveGen.Cli.CommandLine;
using EnclaveGen.Runtime.Identity;

namespace EnclaveGen.Cli.Commands;

/// <summary>
/// <c>enclavegen measure &lt;assembly&gt; [--enclave &lt;type&gt;] [--json] [--allow-missing-references]</c>:
/// prints the enclave's MRENCLAVE (computed by the same canonicaliser as the loader) and, when a
/// valid signature file sits next to the assembly, its MRSIGNER. A library whose non-framework
/// references are not beside it measures differently from the one that runs (a copy taken away
/// from its build output): that is refused, naming what is missing, unless explicitly allowed.
/// </summary>
internal static class MeasureCommand
{
    public static Command Create()
    {
        Argument<FileInfo> assembly = new("assembly") { Description = "The enclave library (.dll), in the folder its references resolve from (build or publish output)." };
        Option<string?> enclave = new("--enclave") { HelpName = "class", Description = "Full name of the enclave class; needed when the library has more than one." };
        Option<bool> json = new("--json") { Description = "Print a JSON object with the keys mrenclave and mrsigner (and more); errors too." };
        Option<bool> allowMissing = new("--allow-missing-references") { Description = "Measure even when assemblies the library references are not beside it (the value then differs from the enclave's; the JSON says complete: false)." };
        Command command = new("measure", "Print an enclave's MRENCLAVE and MRSIGNER.") { assembly, enclave, json, allowMissing };
        command.SetAction(result => Run(
            result.GetRequiredValue(assembly).FullName,
            result.GetValue(enclave),
            result.GetValue(json),
            result.InvocationConfiguration.Output,
            result.InvocationConfiguration.Error,
            result.GetValue(allowMissing)));
        return command;
    }

    public static int Run(string assemblyPath, string? enclaveTypeName, bool json, TextWriter output, TextWriter error, bool allowMissingReferences = false)
    {
        CommandOutput result = new(output, error, json);
        EnclaveMeasurementResult measurement;
        try
        {
            IReadOnlyList<EnclaveMeasurementResult> all = EnclaveMeasurement.MeasureAll(assemblyPath);
            if (enclaveTypeName is not null)
            {
                measurement = all.FirstOrDefault(m => m.Definition.EnclaveTypeName == enclaveTypeName)
                    ?? throw new EnclaveImageException($"'{assemblyPath}' records no enclave '{enclaveTypeName}' (it records: {Names(all)}).");
            }
            else if (all.Count == 1)
            {
                measurement = all[0];
            }
            else
            {
                return result.Fail(ExitCode.Unusable, CommandErrors.MeasureFailed, all.Count == 0
                    ? $"'{assemblyPath}' records no enclave class (no EnclaveDefinition attribute): it is not an enclave library, or was built without the EnclaveGen generator."
                    : $"'{assemblyPath}' records {all.Count} enclaves ({Names(all)}); choose one with --enclave.");
            }
        }
        catch (EnclaveImageException ex)
        {
            return result.Fail(ExitCode.Unusable, CommandErrors.MeasureFailed, ex.Message);
        }

        EnclaveIdentity? signed = null;
        string signaturePath = EnclaveSignatureFile.PathFor(assemblyPath);
        if (File.Exists(signaturePath))
        {
            try
            {
                signed = EnclaveImageVerifier.Verify(assemblyPath, measurement.Definition.EnclaveTypeName);
            }
            catch (EnclaveException ex)
            {
                // The answer "no": this image is not what the signature file signed.
                return result.Fail(ExitCode.No, CommandErrors.MeasureFailed, $"mrenclave {measurement.Mrenclave}, but the signature file does not verify: {ex.Message}");
            }
        }

        // What the library references and its folder lacks is measured as absent, which gives a value
        // no relying party should pin. A verified signature says the enclave was signed that way.
        string[] missing = [.. measurement.Dependencies.Where(d => d.ImageHash is null).Select(d => d.AssemblyName)];
        if (missing.Length > 0 && signed is null && !allowMissingReferences)
        {
            // A refusal (exit 1), not unreadable input: the library was read, and the value would mislead.
            return result.Fail(ExitCode.No, CommandErrors.MeasureFailed,
                $"'{assemblyPath}' references {string.Join(", ", missing)}, which {(missing.Length == 1 ? "is" : "are")} not in its folder, so this would not be the MRENCLAVE of the enclave that runs. " +
                "Measure the library in its build or publish output, where its dependencies sit beside it; or, if they are really absent where the enclave runs (another shared framework, an optional dependency), pass --allow-missing-references.");
        }

        if (json)
        {
            result.WriteJson(document =>
            {
                document.WriteString("enclave", measurement.Definition.EnclaveTypeName);
                document.WriteString("mrenclave", measurement.Mrenclave.ToString());
                if (signed is null)
                {
                    document.WriteNull("mrsigner");
                }
                else
                {
                    document.WriteString("mrsigner", signed.Mrsigner.ToString());
                    document.WriteNumber("productId", signed.ProductId);
                    document.WriteNumber("securityVersion", signed.SecurityVersion);
                    document.WriteBoolean("debug", signed.IsDebug);
                }

                document.WriteNumber("maxThreads", measurement.Definition.MaxThreads);
                document.WriteNumber("heapLimitBytes", measurement.Definition.HeapLimitBytes);
                document.WriteBoolean("complete", missing.Length == 0);
                document.WriteStartArray("missingReferences");
                foreach (string name in missing)
                {
                    document.WriteStringValue(name);
                }

                document.WriteEndArray();
            });
            return ExitCode.Success;
        }

        output.WriteLine($"mrenclave {measurement.Mrenclave}");
        output.WriteLine(signed is null ? $"mrsigner none (no signature file {signaturePath})" : $"mrsigner {signed.Mrsigner}");
        if (missing.Length > 0)
        {
            output.WriteLine($"missing   {string.Join(", ", missing)} (measured as absent)");
        }

        return ExitCode.Success;
    }

    private static string Names(IReadOnlyList<EnclaveMeasurementResult> all)
        => all.Count == 0 ? "none" : string.Join(", ", all.Select(m => m.Definition.EnclaveTypeName));
}
