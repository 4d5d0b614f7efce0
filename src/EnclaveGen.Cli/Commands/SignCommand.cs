using System.CommandLine;
using EnclaveGen.Attestation;
using EnclaveGen.Cli.CommandLine;
using EnclaveGen.Runtime.Identity;

namespace EnclaveGen.Cli.Commands;

/// <summary>
/// <c>enclavegen sign &lt;assembly&gt; ...</c>: what the MSBuild step runs after compiling an enclave
/// library. Measures every enclave class it records and writes <c>Name.sigstruct.json</c>.
/// </summary>
internal static class SignCommand
{
    public static Command Create()
    {
        Argument<FileInfo> assembly = new("assembly") { Description = "The enclave library (.dll), in the folder its references resolve from (the build output)." };
        Option<FileInfo?> key = new("--key") { HelpName = "pem", Description = "PEM file with the signer's ECDSA P-256 or RSA-3072 private key. Without it, a per-project debug key is used and the enclave is DEBUG." };
        Option<string?> debugKeyId = new("--debug-key-id") { HelpName = "guid", Description = "The project's EnclaveDebugKeyId: with the assembly name it picks the debug key (created once under the EnclaveGen home), wherever the project is cloned." };
        Option<string?> debugKeyProject = new("--debug-key-project") { HelpName = "project", Description = "Without --debug-key-id: the project file whose path picks the debug key. Default: the assembly path." };
        Option<ushort> productId = new("--product-id") { HelpName = "0-65535", Description = "ISVPRODID (0-65535).", DefaultValueFactory = _ => 0 };
        Option<ushort> securityVersion = new("--svn") { HelpName = "0-65535", Description = "ISVSVN, the security version (0-65535).", DefaultValueFactory = _ => 0 };
        // A flag: --debug marks the enclave DEBUG. The build step passes --debug true or --debug false
        // (an optional value); without the option an enclave is DEBUG unless --key gives a signer.
        Option<bool> debug = new("--debug") { Description = "Mark the enclave DEBUG (its secrets are not protected). Default: DEBUG without --key, not DEBUG with it." };
        Option<FileInfo?> output = new("--out") { HelpName = "file", Description = "Where to write the signature file. Default: Name.sigstruct.json next to the assembly." };
        Option<FileInfo?> references = new("--references-file") { HelpName = "file", Description = "A file listing, one per line, the files that will sit next to the assembly at run time; references resolve from them instead of the assembly's folder (the build step uses this)." };
        Command command = new("sign", "Measure an enclave library and sign each enclave class (the build runs this).")
        {
            assembly, key, debugKeyId, debugKeyProject, productId, securityVersion, debug, output, references,
        };
        command.SetAction(result => Run(
            new SignRequest(
                result.GetRequiredValue(assembly).FullName,
                result.GetValue(key)?.FullName,
                result.GetValue(debugKeyProject),
                result.GetValue(productId),
                result.GetValue(securityVersion),
                result.GetResult(debug) is { Implicit: false } ? result.GetValue(debug) : result.GetValue(key) is null,
                result.GetValue(output)?.FullName,
                result.GetValue(references)?.FullName,
                result.GetValue(debugKeyId)),
            result.InvocationConfiguration.Output,
            result.InvocationConfiguration.Error));
        return command;
    }

    public static int Run(SignRequest request, TextWriter output, TextWriter error)
    {
        CommandOutput result = new(output, error, json: false);
        if (request.KeyPath is null && !request.Debug)
        {
            return result.Fail(ExitCode.Unusable, CommandErrors.NoKeyForRelease,
                "A release enclave (EnclaveDebug=false) needs a signing key, and none was given. Set EnclaveSigningKey to a PEM file with an ECDSA P-256 or RSA-3072 private key " +
                "(for example: openssl ecparam -name prime256v1 -genkey -noout | openssl pkcs8 -topk8 -nocrypt -out signer.pem), kept out of source control, " +
                "or leave EnclaveDebug=true to sign with the per-project debug key.");
        }

        string signaturePath = request.OutputPath ?? EnclaveSignatureFile.PathFor(request.AssemblyPath);
        try
        {
            if (!File.Exists(request.AssemblyPath))
            {
                throw new EnclaveImageException($"The enclave library '{request.AssemblyPath}' does not exist. Build the enclave project first, or check the path.");
            }

            IReadOnlyList<EnclaveMeasurementResult> measurements = request.ReferencesFile is null
                ? EnclaveMeasurement.MeasureAll(request.AssemblyPath)
                : EnclaveMeasurement.MeasureAll(
                    File.ReadAllBytes(request.AssemblyPath),
                    new FileListDependencySource(File.ReadAllLines(request.ReferencesFile).Where(line => line.Length > 0)),
                    request.AssemblyPath);
            if (measurements.Count == 0)
            {
                // Drop a signature file left from a build that still had enclaves.
                File.Delete(signaturePath);
                output.WriteLine($"enclavegen: {Path.GetFileName(request.AssemblyPath)} records no enclave class; nothing to sign.");
                return ExitCode.Success;
            }

            bool created = false;
            string keySource;
            EnclaveSigningKey key;
            if (request.KeyPath is not null)
            {
                key = EnclaveSigningKey.LoadPem(request.KeyPath);
                keySource = request.KeyPath;
            }
            else
            {
                DebugKeyOwner owner = string.IsNullOrWhiteSpace(request.DebugKeyId)
                    ? DebugKeyOwner.ForProjectPath(request.DebugKeyProject ?? request.AssemblyPath)
                    : DebugKeyOwner.ForProject(measurements[0].Library.AssemblyName, request.DebugKeyId);
                key = DebugSigningKeys.GetOrCreate(owner, homeDirectory: null, out created);
                keySource = $"the per-project debug key {DebugSigningKeys.PathFor(owner)}";
                if (owner.FollowsProjectPath)
                {
                    WarnAboutPathKeyedDebugKey(measurements[0].Library.AssemblyName, owner, error);
                }
            }

            using (key)
            {
                if (created)
                {
                    output.WriteLine($"enclavegen: created {keySource}");
                }

                EnclaveSignatureFile file = EnclaveImageSigner.Sign(measurements, key, request.ProductId, request.SecurityVersion, request.Debug, signaturePath);
                foreach (EnclaveSignature entry in file.Enclaves)
                {
                    output.WriteLine(
                        $"enclavegen: signed {entry.EnclaveTypeName}: mrenclave {entry.Mrenclave} mrsigner {entry.Mrsigner} isvprodid {entry.ProductId} isvsvn {entry.SecurityVersion}" +
                        (entry.IsDebug ? " DEBUG" : string.Empty) + $" ({entry.Algorithm}, {keySource}) -> {signaturePath}");
                }

                WarnAboutFolderDependentComponents(measurements[0], error);
                if (request.Debug)
                {
                    output.WriteLine("enclavegen: DEBUG enclave: its secrets are not protected. For production set EnclaveSigningKey and EnclaveDebug=false.");
                }
            }

            return ExitCode.Success;
        }
        catch (EnclaveException ex)
        {
            return result.Fail(ExitCode.Unusable, CommandErrors.SigningFailed, ex.Message);
        }
        catch (IOException ex)
        {
            return result.Fail(ExitCode.Unusable, CommandErrors.SigningFailed, ErrorText.Message(ex));
        }
    }

    /// <summary>
    /// Without EnclaveDebugKeyId the debug key follows the project's path: another clone signs with
    /// another key, so its MRSIGNER differs and it cannot open what this one sealed under MRSIGNER.
    /// </summary>
    private static void WarnAboutPathKeyedDebugKey(string assemblyName, DebugKeyOwner owner, TextWriter error)
    {
        error.WriteLine(
            $"enclavegen : warning {CommandErrors.DebugKeyFollowsPath}: The enclave library {assemblyName} sets no EnclaveDebugKeyId, so its debug signing key follows {owner.Description}: " +
            "a clone in another folder, or the project moved, signs with another key, gets another MRSIGNER and cannot open what this build sealed under MRSIGNER. " +
            $"Add <EnclaveDebugKeyId>{Guid.NewGuid()}</EnclaveDebugKeyId> to the enclave project file and commit it (a new GUID, so that no other project declares the same one).");
    }

    /// <summary>
    /// A component that records an absolute PDB path that exists on this machine was built here
    /// without path mapping: its bytes, and so MRENCLAVE, depend on the folder it was built in.
    /// </summary>
    private static void WarnAboutFolderDependentComponents(EnclaveMeasurementResult measured, TextWriter error)
    {
        foreach (MeasuredComponent component in measured.Components)
        {
            string? pdb = component.PdbPath;
            if (pdb is not null && Path.IsPathFullyQualified(pdb) && Directory.Exists(Path.GetDirectoryName(pdb)))
            {
                error.WriteLine(
                    $"enclavegen : warning {CommandErrors.FolderDependentBuild}: {component.AssemblyName}.dll records the build path '{pdb}', so its bytes depend on the folder it was built in and " +
                    "the enclave's MRENCLAVE cannot be reproduced from another folder. Map paths when building it: add <PathMap>$(MSBuildProjectDirectory)=/_/</PathMap> to that project or to a Directory.Build.props, as the EnclaveGen targets do for the enclave library.");
            }
        }
    }
}
/// <summary>The inputs of <c>enclavegen sign</c>.</summary>
internal sealed record SignRequest(string AssemblyPath, string? KeyPath, string? DebugKeyProject, ushort ProductId, ushort SecurityVersion, bool Debug, string? OutputPath, string? ReferencesFile = null, string? DebugKeyId = null);
