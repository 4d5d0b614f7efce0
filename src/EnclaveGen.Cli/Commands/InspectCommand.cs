using System.CommandLine;
using EnclaveGen.Attestation;
using EnclaveGen.Cli.CommandLine;
using EnclaveGen.Runtime.Sealing;

namespace EnclaveGen.Cli.Commands;

/// <summary>
/// <c>enclavegen inspect &lt;sealed-file&gt; [--json]</c>: prints a sealed blob's header (policy,
/// identity, product ID, SVN, key ID, sizes) without opening it; no key is needed.
/// </summary>
internal static class InspectCommand
{
    public static Command Create()
    {
        Argument<FileInfo> file = new("sealed-file") { Description = "A file holding one sealed blob." };
        Option<bool> json = new("--json") { Description = "Print a JSON object (errors too)." };
        Command command = new("inspect", "Print a sealed blob's header without opening it.") { file, json };
        command.SetAction(result => Run(result.GetRequiredValue(file).FullName, result.GetValue(json), result.InvocationConfiguration.Output, result.InvocationConfiguration.Error));
        return command;
    }

    public static int Run(string path, bool json, TextWriter output, TextWriter error)
    {
        CommandOutput result = new(output, error, json);
        SealedBlobHeader header;
        long length;
        try
        {
            byte[] blob = File.ReadAllBytes(path);
            length = blob.Length;
            header = SealedBlobHeader.Read(blob);
        }
        catch (IOException ex)
        {
            return result.Fail(ExitCode.Unusable, CommandErrors.InspectFailed, $"cannot read '{path}': {ErrorText.Message(ex)}");
        }
        catch (UnauthorizedAccessException ex)
        {
            return result.Fail(ExitCode.Unusable, CommandErrors.InspectFailed, $"cannot read '{path}': {ErrorText.Message(ex)}");
        }
        catch (EnclaveSealingException ex)
        {
            return result.Fail(ExitCode.Unusable, CommandErrors.InspectFailed, $"'{path}': {ex.Message}");
        }

        string identityLabel = header.Policy == SealingPolicy.MrEnclave ? "mrenclave" : "mrsigner";
        if (json)
        {
            result.WriteJson(document =>
            {
                document.WriteNumber("version", header.Version);
                document.WriteString("policy", header.PolicyName);
                document.WriteString(identityLabel, header.Identity.ToString());
                document.WriteNumber("productId", header.ProductId);
                document.WriteNumber("securityVersion", header.SecurityVersion);
                document.WriteBoolean("debug", header.SealedByDebugEnclave);
                document.WriteString("keyId", Convert.ToHexStringLower(header.KeyId));
                document.WriteString("platform", Convert.ToHexStringLower(header.PlatformId));
                if (header.CounterId is { } counterId)
                {
                    document.WriteString("counterId", counterId);
                    document.WriteNumber("counterValue", header.CounterValue ?? 0);
                }

                document.WriteNumber("sealedBytes", header.CiphertextLength);
                document.WriteNumber("totalBytes", length);
            });
            return ExitCode.Success;
        }

        output.WriteLine($"format     EnclaveGen sealed blob v{header.Version}");
        output.WriteLine($"policy     {header.PolicyName}");
        output.WriteLine($"{identityLabel,-10} {header.Identity}");
        output.WriteLine($"product-id {header.ProductId}");
        output.WriteLine($"svn        {header.SecurityVersion}");
        output.WriteLine($"debug      {(header.SealedByDebugEnclave ? "true" : "false")}");
        output.WriteLine($"key-id     {Convert.ToHexStringLower(header.KeyId)}");
        output.WriteLine($"platform   {Convert.ToHexStringLower(header.PlatformId)}");
        if (header.CounterId is { } counter)
        {
            output.WriteLine($"counter    {counter} at {header.CounterValue} (older blobs of this counter are refused as rolled back)");
        }

        output.WriteLine($"sealed     {header.CiphertextLength} bytes (plaintext length; AES-256-GCM)");
        output.WriteLine($"total      {length} bytes (header {header.HeaderLength}, tag {SealedBlobHeader.TagLength})");
        return ExitCode.Success;
    }
}
