using System.CommandLine;
using System.Text.Json;
using EnclaveGen.Runtime.Identity;

namespace EnclaveGen.Cli.Commands;

/// <summary>
/// <c>enclavegen measure &lt;assembly&gt; [--enclave &lt;type&gt;] [--json]</c>: prints the enclave's
/// MRENCLAVE (computed by the same canonicaliser as the loader) and, when a valid signature file
/// sits next to the assembly, its MRSIGNER.
/// </summary>
internal static class MeasureCommand
{
    public static Command Create()
    {
        Argument<FileInfo> assembly = new("assembly") { Description = "The enclave library (.dll), in the folder its references resolve from (build or publish output)." };
        Option<string?> enclave = new("--enclave") { Description = "Full name of the enclave class; needed when the library has more than one." };
        Option<bool> json = new("--json") { Description = "Print a JSON object with the keys mrenclave and mrsigner (and more)." };
        Command command = new("measure", "Print an enclave's MRENCLAVE and MRSIGNER.") { assembly, enclave, json };
        command.SetAction(result => Run(
            result.GetRequiredValue(assembly).FullName,
            result.GetValue(enclave),
            result.GetValue(json),
            result.InvocationConfiguration.Output,
            result.InvocationConfiguration.Error));
        return command;
    }

    public static int Run(string assemblyPath, string? enclaveTypeName, bool json, TextWriter output, TextWriter error)
    {
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
                return CommandErrors.Report(error, CommandErrors.MeasureFailed, all.Count == 0
                    ? $"'{assemblyPath}' records no enclave class (no EnclaveDefinition attribute): it is not an enclave library, or was built without the EnclaveGen generator."
                    : $"'{assemblyPath}' records {all.Count} enclaves ({Names(all)}); choose one with --enclave.");
            }
        }
        catch (EnclaveImageException ex)
        {
            return CommandErrors.Report(error, CommandErrors.MeasureFailed, ex.Message);
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
                return CommandErrors.Report(error, CommandErrors.MeasureFailed, $"mrenclave {measurement.Mrenclave}, but the signature file does not verify: {ex.Message}");
            }
        }

        if (json)
        {
            using MemoryStream buffer = new();
            using (Utf8JsonWriter document = new(buffer, new JsonWriterOptions { Indented = true }))
            {
                document.WriteStartObject();
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
                document.WriteEndObject();
            }

            output.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
            return 0;
        }

        output.WriteLine($"mrenclave {measurement.Mrenclave}");
        output.WriteLine(signed is null ? $"mrsigner none (no signature file {signaturePath})" : $"mrsigner {signed.Mrsigner}");
        return 0;
    }

    private static string Names(IReadOnlyList<EnclaveMeasurementResult> all)
        => all.Count == 0 ? "none" : string.Join(", ", all.Select(m => m.Definition.EnclaveTypeName));
}
