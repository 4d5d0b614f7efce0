using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json;
using EnclaveGen.Cli.Commands;
using EnclaveGen.Runtime.Identity;
using EnclaveGen.Tests;

namespace EnclaveGen.Identity.Tests;

/// <summary>
/// Builds real projects with `dotnet build` in temporary folders and checks what MRENCLAVE covers,
/// that it is reproducible, and that the signing step and its signature file work end to end.
/// The tests of this class run one after another on the fixture's two solutions; each works in
/// whatever order xunit picks (see <see cref="EnclaveBuildFixture"/>).
/// </summary>
public sealed class EnclaveBuildTests(EnclaveBuildFixture fixture) : IClassFixture<EnclaveBuildFixture>
{
    private const string Vault = EnclaveSolution.EnclaveType;

    [Fact]
    public void TheSameEnclaveBuiltInTwoFoldersMeasuresTheSame()
    {
        Assert.NotEqual(fixture.First.Root, fixture.Second.Root);
        Assert.Equal(fixture.FirstMrenclave, fixture.SecondMrenclave);
        Assert.DoesNotContain("EG5005", fixture.FirstBuildOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("EG5004", fixture.FirstBuildOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("EG5006", fixture.FirstBuildOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("EG5007", fixture.FirstBuildOutput, StringComparison.Ordinal);
        Assert.Contains($"signed {Vault}: mrenclave {fixture.FirstMrenclave}", fixture.FirstBuildOutput, StringComparison.Ordinal);
    }

    [Fact]
    public void AddingATypeAStringLiteralAndALambdaToTheHostLeavesMrenclaveUnchanged()
    {
        EnclaveSolution solution = fixture.First;
        byte[] appBefore = File.ReadAllBytes(Path.Combine(solution.AppOutput, "App.dll"));

        solution.Write("App/Program.cs", """
            System.Func<int, int> twice = x => x * 2;
            System.Console.WriteLine("a new string literal in the host");
            System.Console.WriteLine(twice(new Vault.Enclave.Vault().Check(2)));
            System.Console.WriteLine(new HostOnly().Name);
            sealed class HostOnly { public string Name => "host"; }
            """);
        solution.Build();

        Assert.NotEqual(appBefore, File.ReadAllBytes(Path.Combine(solution.AppOutput, "App.dll")));
        Assert.Equal(fixture.FirstMrenclave, Measure(solution));
        Assert.Equal(fixture.FirstMrenclave, EnclaveImageVerifier.Verify(solution.EnclaveInAppOutput, Vault).Mrenclave);
    }

    [Fact]
    public void EveryChangeToWhatTheEnclaveRunsChangesMrenclave()
    {
        EnclaveSolution solution = fixture.Second;
        List<(string Change, EnclaveHash Mrenclave)> seen = [("baseline", fixture.SecondMrenclave)];

        void After(string change, Action edit, params string[] buildArguments)
        {
            edit();
            solution.Build(buildArguments);
            EnclaveHash now = Measure(solution);
            Assert.True(seen.TrueForAll(s => s.Mrenclave != now), $"After changing {change}, MRENCLAVE {now} equals an earlier one.");
            // The build signed the new measurement, and the signature travelled into the app's output.
            Assert.Equal(now, EnclaveImageVerifier.Verify(solution.EnclaveInAppOutput, Vault).Mrenclave);
            seen.Add((change, now));
        }

        After("a [Trusted] method body", () => solution.Replace("Enclave/Vault.cs", "Codec.Encode(Helper.Mixer.Mix(value))", "Codec.Encode(Helper.Mixer.Mix(value + 1))"));
        After("a private helper", () => solution.Replace("Enclave/Vault.cs", "value & 1", "value & 3"));
        After("a type the enclave uses", () => solution.Replace("Enclave/Codec.cs", "0x5A", "0x5B"));
        After("a referenced library", () => solution.Replace("Helper/Mixer.cs", "value * 31 + 7", "value * 31 + 9"));
        After("max threads", () => { }, "-p:EnclaveMaxThreads=16");
        Assert.Equal(16, EnclaveMeasurement.Measure(solution.EnclaveInAppOutput, Vault).Definition.MaxThreads);
    }

    [Fact]
    public void TheSignatureFileTravelsIntoReferencingAndPublishOutputIncludingSingleFile()
    {
        EnclaveSolution solution = fixture.First;
        Assert.True(File.Exists(Path.Combine(solution.Root, "Enclave", "bin", "Debug", "net10.0", "Enclave.sigstruct.json")));
        Assert.True(File.Exists(Path.Combine(solution.AppOutput, "Enclave.sigstruct.json")));

        string publish = Path.Combine(solution.Root, "publish");
        solution.Dotnet("publish", "--no-restore", "-c", "Debug", "-o", publish).EnsureSuccess("dotnet publish");
        Assert.Equal(fixture.FirstMrenclave, EnclaveImageVerifier.Verify(Path.Combine(publish, "Enclave.dll"), Vault).Mrenclave);

        string singleFile = Path.Combine(solution.Root, "single-file");
        string output = solution.Dotnet("publish", "-c", "Debug", "-o", singleFile, "-r", RuntimeInformation.RuntimeIdentifier, "--self-contained", "false", "-p:PublishSingleFile=true")
            .EnsureSuccess("dotnet publish (single file)").Output;
        Assert.Contains("EnclaveGen: single-file publish keeps enclave libraries", output, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(singleFile, "App.dll")), "The app itself goes into the bundle.");
        Assert.True(File.Exists(Path.Combine(singleFile, "Helper.dll")), "What MRENCLAVE covers stays beside the enclave, to be re-measured.");
        Assert.Equal(fixture.FirstMrenclave, EnclaveImageVerifier.Verify(Path.Combine(singleFile, "Enclave.dll"), Vault).Mrenclave);
    }

    [Fact]
    public void NativeAotPublishingIsRefusedSayingWhy()
    {
        DotnetProcess.Result result = fixture.First.Dotnet("publish", "--no-restore", "-c", "Debug", "-p:PublishAot=true", "-o", Path.Combine(fixture.First.Root, "aot"));
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("error EG5003", result.Output, StringComparison.Ordinal);
        Assert.Contains("NativeAOT compiles that image away", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void TheMeasureCommandPrintsWhatTheLoaderComputes()
    {
        EnclaveSolution solution = fixture.First;
        EnclaveIdentity identity = EnclaveImageVerifier.Verify(solution.EnclaveInAppOutput, Vault);

        StringWriter text = new();
        Assert.Equal(0, MeasureCommand.Run(solution.EnclaveInAppOutput, null, json: false, text, TextWriter.Null));
        Assert.Equal($"mrenclave {fixture.FirstMrenclave}\nmrsigner {identity.Mrsigner}\n", text.ToString().ReplaceLineEndings("\n"));

        StringWriter json = new();
        Assert.Equal(0, MeasureCommand.Run(solution.EnclaveInAppOutput, Vault, json: true, json, TextWriter.Null));
        using JsonDocument document = JsonDocument.Parse(json.ToString());
        Assert.Equal(fixture.FirstMrenclave.ToString(), document.RootElement.GetProperty("mrenclave").GetString());
        Assert.Equal(identity.Mrsigner.ToString(), document.RootElement.GetProperty("mrsigner").GetString());
    }

    [Fact]
    public void CleaningTheProjectKeepsItsDebugSigner()
    {
        EnclaveSolution solution = fixture.Second;
        string debugKey = DebugSigningKeys.PathFor(DebugKeyOwner.ForProject("Enclave", EnclaveSolution.DebugKeyId), solution.Home);
        using EnclaveSigningKey key = EnclaveSigningKey.LoadPem(debugKey);
        DateTime written = File.GetLastWriteTimeUtc(debugKey);

        solution.Dotnet("clean").EnsureSuccess("dotnet clean");
        Assert.False(File.Exists(solution.EnclaveInAppOutput));
        solution.Build();

        EnclaveIdentity identity = EnclaveImageVerifier.Verify(solution.EnclaveInAppOutput, Vault);
        Assert.True(identity.IsDebug);
        Assert.Equal(key.Mrsigner, identity.Mrsigner);
        Assert.Equal(written, File.GetLastWriteTimeUtc(debugKey));
    }

    [Fact]
    public void ALibraryBuiltWithoutPathMappingIsReportedBecauseItBreaksReproducibility()
    {
        EnclaveSolution solution = fixture.Second;
        solution.Replace("Helper/Mixer.cs", "public static class Mixer", "public static class Mixer // rebuilt unmapped");
        string output = solution.Build("-p:HelperUnmapped=true").Output;
        Assert.Contains("warning EG5005: Helper.dll records the build path", output, StringComparison.Ordinal);
        Assert.DoesNotContain("warning EG5005: Enclave.dll", output, StringComparison.Ordinal);

        // Put the mapped build back for the other tests.
        solution.Replace("Helper/Mixer.cs", "public static class Mixer // rebuilt unmapped", "public static class Mixer");
        Assert.DoesNotContain("EG5005", solution.Build().Output, StringComparison.Ordinal);
    }

    [Fact]
    public void AReleaseBuildWithoutAKeyFailsSayingWhatToDo()
    {
        DotnetProcess.Result result = fixture.Second.Dotnet("build", "--no-restore", "-p:EnclaveDebug=false");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("error EG5001", result.Output, StringComparison.Ordinal);
        Assert.Contains("Set EnclaveSigningKey", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void AMissingKeyFileAndANonDeterministicBuildAreReportedBeforeCompiling()
    {
        DotnetProcess.Result result = fixture.Second.Dotnet("build", "--no-restore", "-p:EnclaveSigningKey=no-such-signer.pem", "-p:Deterministic=false");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("error EG5006: EnclaveSigningKey 'no-such-signer.pem' does not exist", result.Output, StringComparison.Ordinal);
        Assert.Contains("warning EG5004: Deterministic is off for enclave library Enclave", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void AMissingSigningToolIsReportedSayingWhatToSet()
    {
        // Only the target that resolves the tool, on the enclave project: nothing is compiled.
        EnclaveSolution solution = fixture.Second;
        string tool = Path.Combine(solution.Root, "no-such-tool", "enclavegen.dll");
        DotnetProcess.Result result = ProcessRunner.Dotnet(solution.Root, solution.Home, ["msbuild", Path.Combine(solution.Root, "Enclave", "Enclave.csproj"), "-m:1", "-t:_EnclaveGenResolveTool", "-p:EnclaveGenToolPath=" + tool]);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("error EG5007: The EnclaveGen signing tool was not found", result.Output, StringComparison.Ordinal);
        Assert.Contains("Set EnclaveGenToolPath", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void AReleaseKeySignsWithTheConfiguredProductAndSecurityVersion()
    {
        EnclaveSolution solution = fixture.Second;
        using ECDsa ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        File.WriteAllText(Path.Combine(solution.Root, "Enclave", "signer.pem"), ecdsa.ExportPkcs8PrivateKeyPem());

        // A relative key path starts at the enclave project's folder.
        solution.Build("-p:EnclaveSigningKey=signer.pem", "-p:EnclaveDebug=false", "-p:EnclaveProductId=7", "-p:EnclaveSecurityVersion=3");

        EnclaveIdentity identity = EnclaveImageVerifier.Verify(solution.EnclaveInAppOutput, Vault);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(ecdsa.ExportSubjectPublicKeyInfo())), identity.Mrsigner.ToString());
        Assert.Equal((ushort)7, identity.ProductId);
        Assert.Equal((ushort)3, identity.SecurityVersion);
        Assert.False(identity.IsDebug);
    }

    [Fact]
    public void ACloneInAnotherFolderSignsWithTheSameDebugSigner()
    {
        // First and Second are one project cloned into two folders and built on one machine: the
        // debug key follows the assembly name and the project's EnclaveDebugKeyId, not the folder.
        Assert.Equal(fixture.FirstMrsigner, fixture.SecondMrsigner);
        Assert.DoesNotContain("EG5008", fixture.FirstBuildOutput, StringComparison.Ordinal);
    }

    [Fact]
    public void WithoutADebugKeyIdTheSigningStepWarnsThatTheSignerFollowsTheFolder()
    {
        EnclaveSolution solution = fixture.First;
        string signature = Path.Combine(solution.Root, "elsewhere.sigstruct.json");
        string[] sign = ["exec", TestEnvironment.CliPath, "sign", solution.EnclaveInAppOutput, "--out", signature];

        string output = ProcessRunner.Dotnet(solution.Root, solution.Home, [.. sign, "--debug-key-project", Path.Combine(solution.Root, "Enclave", "Enclave.csproj")]).EnsureSuccess("enclavegen sign").Output;
        Assert.Contains("warning EG5008: The enclave library Enclave sets no EnclaveDebugKeyId", output, StringComparison.Ordinal);
        Assert.Matches("Add <EnclaveDebugKeyId>[0-9a-f-]{36}</EnclaveDebugKeyId>", output);
        Assert.NotEqual(fixture.FirstMrsigner, EnclaveSignatureFile.Load(signature).Enclaves[0].Mrsigner);

        // With the id, from any folder, the key is the project's: the one the build used.
        output = ProcessRunner.Dotnet(solution.Root, solution.Home, [.. sign, "--debug-key-project", "/somewhere/else/Enclave.csproj", "--debug-key-id", EnclaveSolution.DebugKeyId]).EnsureSuccess("enclavegen sign").Output;
        Assert.DoesNotContain("EG5008", output, StringComparison.Ordinal);
        Assert.Equal(fixture.FirstMrsigner, EnclaveSignatureFile.Load(signature).Enclaves[0].Mrsigner);
    }

    [Fact]
    public void MeasuringALibraryCopiedAwayFromItsDependenciesIsRefusedNamingThem()
    {
        EnclaveSolution solution = fixture.First;
        string alone = Path.Combine(solution.Root, "copied-away", "Enclave.dll");
        Directory.CreateDirectory(Path.GetDirectoryName(alone)!);
        File.Copy(solution.EnclaveInAppOutput, alone, overwrite: true);

        StringWriter output = new();
        StringWriter error = new();
        Assert.Equal(1, MeasureCommand.Run(alone, Vault, json: false, output, error));
        Assert.Equal(string.Empty, output.ToString());
        Assert.Contains("error EG5010", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("Helper", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("--allow-missing-references", error.ToString(), StringComparison.Ordinal);

        // Allowed, it prints the measurement of the library alone and says what it lacks.
        StringWriter json = new();
        Assert.Equal(0, MeasureCommand.Run(alone, Vault, json: true, json, TextWriter.Null, allowMissingReferences: true));
        using (JsonDocument document = JsonDocument.Parse(json.ToString()))
        {
            Assert.NotEqual(fixture.FirstMrenclave.ToString(), document.RootElement.GetProperty("mrenclave").GetString());
            Assert.False(document.RootElement.GetProperty("complete").GetBoolean());
            Assert.Contains("Helper", document.RootElement.GetProperty("missingReferences").EnumerateArray().Select(e => e.GetString()));
        }

        // Beside its dependencies it is complete.
        json = new StringWriter();
        Assert.Equal(0, MeasureCommand.Run(solution.EnclaveInAppOutput, Vault, json: true, json, TextWriter.Null));
        using (JsonDocument document = JsonDocument.Parse(json.ToString()))
        {
            Assert.True(document.RootElement.GetProperty("complete").GetBoolean());
            Assert.Empty(document.RootElement.GetProperty("missingReferences").EnumerateArray());
        }
    }

    [Fact]
    public void ACommitThatChangesOnlyTheReadmeLeavesMrenclaveAndACodeChangeMovesIt()
    {
        // The solution becomes a git clone of a GitHub repository (Source Link recognises the host).
        EnclaveSolution solution = fixture.Second;
        solution.Write(".gitignore", "bin/\nobj/\nhome/\n");
        solution.Write("README.md", "# Vault\n");
        Git(solution, "init", "-q");
        Git(solution, "remote", "add", "origin", "https://github.com/example/vault.git");
        Commit(solution, "first");
        solution.Build();
        EnclaveHash atFirstCommit = Measure(solution);

        solution.Write("README.md", "# Vault\n\nA README-only change.\n");
        Commit(solution, "readme");
        solution.Build();
        Assert.Equal(atFirstCommit, Measure(solution));
        Assert.Equal(atFirstCommit, EnclaveImageVerifier.Verify(solution.EnclaveInAppOutput, Vault).Mrenclave);

        solution.Replace("Enclave/Codec.cs", "public static int Encode(int value) => value ^ 0x5A;", "public static int Encode(int value) => value ^ 0x5A;\n    public static int Twice(int value) => value * 2;");
        Commit(solution, "code");
        solution.Build();
        Assert.NotEqual(atFirstCommit, Measure(solution));
    }

    private static void Commit(EnclaveSolution solution, string message)
    {
        Git(solution, "add", "-A");
        Git(solution, "-c", "user.name=EnclaveGen tests", "-c", "user.email=tests@enclavegen.invalid", "commit", "-q", "-m", message);
    }

    private static void Git(EnclaveSolution solution, params string[] arguments)
        => DotnetProcess.Exec("git", solution.Root, new Dictionary<string, string>(), arguments).EnsureSuccess("git " + string.Join(' ', arguments));

    private static EnclaveHash Measure(EnclaveSolution solution) => EnclaveMeasurement.Measure(solution.EnclaveInAppOutput, Vault).Mrenclave;
}
