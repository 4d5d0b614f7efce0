using System.IO.Compression;
using System.Text.Json;
using System.Xml.Linq;

using EnclaveGen.Tests;

namespace EnclaveGen.Package.Tests;

/// <summary>
/// The EnclaveGen packages as a user installs them: one pack and one restore (PackageFixture),
/// then fresh projects outside the repository that have only a PackageReference.
/// </summary>
[Collection(PackageCollection.Name)]
public sealed class PackageTests(PackageFixture fixture)
{
    private static readonly string s_debugOutput = Path.Combine("bin", "Debug", "net10.0");

    [Fact]
    public void EnclaveGenPackageHasOurAnalyzersTheThreeLibrariesTheBuildFilesAndTheSigningTool()
    {
        using ZipArchive package = ZipFile.OpenRead(fixture.PackagePath("EnclaveGen"));
        string[] entries = package.Entries.Select(e => e.FullName).ToArray();

        // Only our three Roslyn components: Roslyn itself comes from the compiler, and anything
        // else here would load into it.
        Assert.Equal(
            ["EnclaveGen.Analyzers.dll", "EnclaveGen.CodeFixes.dll", "EnclaveGen.Generators.dll"],
            FilesUnder(entries, "analyzers/dotnet/cs/"));
        Assert.Equal(
            ["EnclaveGen.Abstractions.dll", "EnclaveGen.Abstractions.xml", "EnclaveGen.Attestation.dll", "EnclaveGen.Attestation.xml", "EnclaveGen.Runtime.dll", "EnclaveGen.Runtime.xml"],
            FilesUnder(entries, "lib/net10.0/"));
        Assert.Equal(["EnclaveGen.props", "EnclaveGen.targets"], FilesUnder(entries, "buildTransitive/"));
        Assert.Equal(
            ["EnclaveGen.LargeBuffers.targets", "EnclaveGen.Publish.targets", "EnclaveGen.Signing.targets", "EnclaveGen.props", "EnclaveGen.targets"],
            FilesUnder(entries, "build/"));
        Assert.Subset(
            new HashSet<string> { "enclavegen.dll", "enclavegen.runtimeconfig.json", "enclavegen.deps.json", "System.CommandLine.dll", "BouncyCastle.Cryptography.dll", "System.Formats.Cbor.dll", "EnclaveGen.Runtime.dll", "EnclaveGen.Attestation.dll", "EnclaveGen.Abstractions.dll", "Microsoft.Extensions.Logging.Abstractions.dll", "Microsoft.Extensions.DependencyInjection.Abstractions.dll" },
            FilesUnder(entries, "tools/enclavegen/").ToHashSet());
        Assert.Equal(["EnclaveGen.EnclaveHost.dll", "EnclaveGen.EnclaveHost.runtimeconfig.json"], FilesUnder(entries, "tools/enclavehost/"));
        Assert.DoesNotContain(entries, e => e.StartsWith("lib/", StringComparison.Ordinal) && !e.StartsWith("lib/net10.0/", StringComparison.Ordinal));

        // The libraries' own package dependencies: BouncyCastle and System.Formats.Cbor pinned exactly
        // (they are inside every MRENCLAVE), the logging abstractions not (host side only, left out of MRENCLAVE); the
        // projects the package is assembled from are not dependencies.
        XElement metadata = Nuspec(package).Element(Ns(package) + "metadata")!;
        Assert.Equal(fixture.Version, metadata.Element(Ns(package) + "version")!.Value);
        string[] dependencies = metadata.Descendants(Ns(package) + "dependency")
            .Select(d => $"{d.Attribute("id")!.Value} {d.Attribute("version")!.Value}")
            .ToArray();
        // NuGet lists dependencies by id, not in the project's order.
        Assert.Equal(["BouncyCastle.Cryptography [2.7.0]", $"Microsoft.Extensions.Logging.Abstractions {fixture.MicrosoftExtensionsVersion}", "System.Formats.Cbor [10.0.15]"], dependencies);
    }

    [Theory]
    [InlineData("EnclaveGen")]
    [InlineData("EnclaveGen.Hosting")]
    [InlineData("EnclaveGen.Cli")]
    [InlineData("EnclaveGen.Testing")]
    [InlineData("EnclaveGen.AspNetCore")]
    [InlineData("EnclaveGen.Templates")]
    public void EveryPackageNamesItsLicenseProjectAndRepositoryAndCarriesItsReadme(string id)
    {
        using ZipArchive package = ZipFile.OpenRead(fixture.PackagePath(id));
        XNamespace ns = Ns(package);
        XElement metadata = Nuspec(package).Element(ns + "metadata")!;

        XElement license = metadata.Element(ns + "license")!;
        Assert.Equal("expression", license.Attribute("type")!.Value);
        Assert.Equal("MIT", license.Value);
        Assert.Equal(fixture.RepositoryUrl, metadata.Element(ns + "projectUrl")!.Value);
        XElement repository = metadata.Element(ns + "repository")!;
        Assert.Equal("git", repository.Attribute("type")!.Value);
        Assert.Equal(fixture.RepositoryUrl, repository.Attribute("url")!.Value);
        Assert.False(string.IsNullOrWhiteSpace(metadata.Element(ns + "description")!.Value));
        Assert.False(string.IsNullOrWhiteSpace(metadata.Element(ns + "tags")!.Value));

        string readme = metadata.Element(ns + "readme")!.Value;
        ZipArchiveEntry entry = package.GetEntry(readme) ?? throw new Xunit.Sdk.XunitException($"{id}: the readme '{readme}' the nuspec names is not in the package.");
        using StreamReader reader = new(entry.Open());
        Assert.StartsWith($"# {id}", reader.ReadToEnd());
    }

    [Fact]
    public void TestingPackageHasItsLibraryAndNoRuntimeDependency()
    {
        using ZipArchive testing = ZipFile.OpenRead(fixture.PackagePath("EnclaveGen.Testing"));
        Assert.Equal(["EnclaveGen.Testing.dll", "EnclaveGen.Testing.xml"], FilesUnder(testing.Entries.Select(e => e.FullName), "lib/net10.0/"));
        Assert.Empty(Nuspec(testing).Descendants(Ns(testing) + "dependency"));
    }

    /// <summary>An app built and run with it: GettingStartedTests, step 6.</summary>
    [Fact]
    public void HostingPackageHasItsLibraryAndDependsOnTheSameEnclaveGen()
    {
        using ZipArchive hosting = ZipFile.OpenRead(fixture.PackagePath("EnclaveGen.Hosting"));

        Assert.Equal(["EnclaveGen.Hosting.dll", "EnclaveGen.Hosting.xml"], FilesUnder(hosting.Entries.Select(e => e.FullName), "lib/net10.0/"));
        XElement metadata = Nuspec(hosting).Element(Ns(hosting) + "metadata")!;
        XElement enclaveGen = metadata.Descendants(Ns(hosting) + "dependency").Single(d => d.Attribute("id")!.Value == "EnclaveGen");
        Assert.Equal(fixture.Version, enclaveGen.Attribute("version")!.Value);
        Assert.Contains(metadata.Descendants(Ns(hosting) + "dependency"), d => d.Attribute("id")!.Value == "Microsoft.Extensions.Hosting.Abstractions");
    }

    [Fact]
    public void AspNetCorePackageHasItsLibraryUsesTheSharedFrameworkAndDependsOnTheSameEnclaveGen()
    {
        using ZipArchive aspNetCore = ZipFile.OpenRead(fixture.PackagePath("EnclaveGen.AspNetCore"));

        Assert.Equal(["EnclaveGen.AspNetCore.dll", "EnclaveGen.AspNetCore.xml"], FilesUnder(aspNetCore.Entries.Select(e => e.FullName), "lib/net10.0/"));
        XElement metadata = Nuspec(aspNetCore).Element(Ns(aspNetCore) + "metadata")!;
        string[] dependencies = [.. metadata.Descendants(Ns(aspNetCore) + "dependency").Select(d => $"{d.Attribute("id")!.Value} {d.Attribute("version")!.Value}")];
        Assert.Equal([$"EnclaveGen {fixture.Version}"], dependencies);
        Assert.Contains(metadata.Descendants(Ns(aspNetCore) + "frameworkReference"), f => f.Attribute("name")!.Value == "Microsoft.AspNetCore.App");
    }

    [Fact]
    public void CliPackageInstallsAsADotnetToolWhoseCommandRuns()
    {
        using (ZipArchive cli = ZipFile.OpenRead(fixture.PackagePath("EnclaveGen.Cli")))
        {
            XElement metadata = Nuspec(cli).Element(Ns(cli) + "metadata")!;
            Assert.Equal("DotnetTool", metadata.Descendants(Ns(cli) + "packageType").Single().Attribute("name")!.Value);
            Assert.Contains(cli.Entries, e => e.FullName == "tools/net10.0/any/enclavegen.dll");
        }

        string toolPath = Path.Combine(fixture.Root, "tool");
        fixture.Dotnet(fixture.Root, "tool", "install", "EnclaveGen.Cli", "--version", fixture.Version, "--tool-path", toolPath)
            .EnsureSuccess("dotnet tool install EnclaveGen.Cli");
        string command = Path.Combine(toolPath, OperatingSystem.IsWindows() ? "enclavegen.exe" : "enclavegen");
        string help = DotnetProcess.Exec(command, fixture.Root, fixture.Environment, "--help").EnsureSuccess("enclavegen --help").Output;
        Assert.Contains("enclavegen: measure, sign and verify", help);
        foreach (string subcommand in new[] { "measure", "sign", "inspect", "verify" })
        {
            Assert.Contains(subcommand, help);
        }
    }

    [Fact]
    public void EnclaveLibraryAndHostFromThePackageGenerateStubsSignAndRunInProcessAndIsolated()
    {
        DotnetProcess.Result build = fixture.HostBuild.EnsureSuccess("dotnet build of the host app");

        // The signing step ran in the enclave library, and only there.
        Assert.Contains("enclavegen: signed Lib.Counter: mrenclave ", build.Output);
        Assert.DoesNotContain("signed Host", build.Output);
        string generated = Path.Combine(fixture.Root, "Lib", "obj", "Debug", "net10.0", "generated", "EnclaveGen.Generators", "EnclaveGen.Generators.EnclaveGenerator");
        Assert.Contains("Lib.Counter.Enclave.g.cs", Directory.GetFiles(generated).Select(Path.GetFileName));

        string output = Path.Combine(fixture.Root, "Host", s_debugOutput);
        foreach (string file in new[] { "Lib.dll", "Lib.sigstruct.json", "EnclaveGen.Runtime.dll", "BouncyCastle.Cryptography.dll", "EnclaveGen.EnclaveHost.dll", "EnclaveGen.EnclaveHost.runtimeconfig.json" })
        {
            Assert.True(File.Exists(Path.Combine(output, file)), $"{file} is not in the host's output {output}.");
        }

        Assert.False(File.Exists(Path.Combine(output, "Host.sigstruct.json")), "The host app was signed as if it were an enclave library.");

        // Received arrays of up to 2 MiB stay out of the large-object heap, in the app and in
        // isolated mode's child (build/EnclaveGen.LargeBuffers.targets).
        foreach (string runtimeConfig in new[] { "Host.runtimeconfig.json", "EnclaveGen.EnclaveHost.runtimeconfig.json" })
        {
            using JsonDocument config = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, runtimeConfig)));
            Assert.Equal(2097152, config.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties").GetProperty("System.GC.LOHThreshold").GetInt32());
        }

        List<string> modes = ["InProcess"];
        if (OperatingSystem.IsLinux())
        {
            modes.Add("Isolated");
        }

        foreach (string mode in modes)
        {
            string[] arguments = mode == "Isolated" ? ["Host.dll", "--isolated"] : ["Host.dll"];
            string text = fixture.Dotnet(output, arguments).EnsureSuccess($"the host app ({mode})").Output;
            Assert.Contains($"mode {mode}", text);
            Assert.Contains("ocall: 1 distinct visitor(s)", text);
            Assert.Contains("Alice: visit 1", text);
            Assert.Contains("Bob: visit 1", text);
            Assert.Contains("Alice: visit 2", text);
        }
    }

    [Fact]
    public void AnalyzersFromThePackageFailAPlantedLeakInTheEnclaveAndDirectConstructionInTheHost()
    {
        DotnetProcess.Result leak = fixture.Dotnet(fixture.Root, "build", "Leaky/Leaky.csproj", "--no-restore", "--disable-build-servers");

        Assert.NotEqual(0, leak.ExitCode);
        Assert.Contains("error EG3001", leak.Output);

        // The help link comes from the same MSBuild property as the packages' project URL.
        Assert.Contains($"({fixture.RepositoryUrl}/blob/main/docs/diagnostics/EG3001.md)", leak.Output);
        Assert.False(File.Exists(Path.Combine(fixture.Root, "Leaky", s_debugOutput, "Leaky.dll")), "The leaky library was built anyway.");

        // The host gets the package only through the enclave library; its targets add the analyzers.
        // (The enclave library is built first, through the host app, so the signing output is seen there.)
        fixture.HostBuild.EnsureSuccess("dotnet build of the host app");
        DotnetProcess.Result misuse = fixture.Dotnet(fixture.Root, "build", "MisusingHost/MisusingHost.csproj", "--no-restore", "--disable-build-servers");

        Assert.NotEqual(0, misuse.ExitCode);
        Assert.Contains("error EG1101", misuse.Output);
    }

    [Fact]
    public void EnclaveAppTemplateFromAPrivateHiveCreatesAnAppThatBuildsAndRuns()
    {
        using (ZipArchive templates = ZipFile.OpenRead(fixture.PackagePath("EnclaveGen.Templates")))
        {
            Assert.Equal("Template", Nuspec(templates).Descendants(Ns(templates) + "packageType").Single().Attribute("name")!.Value);
            using StreamReader reader = new(templates.GetEntry("content/EnclaveApp/.template.config/template.json")!.Open());
            Assert.Contains($"\"defaultValue\": \"{fixture.Version}\"", reader.ReadToEnd());
            Assert.DoesNotContain(templates.Entries, e => e.FullName.Contains("/bin/", StringComparison.Ordinal) || e.FullName.Contains("/obj/", StringComparison.Ordinal));
        }

        string hive = fixture.InstallTemplates();
        fixture.Dotnet(fixture.Root, "new", "enclaveapp", "-n", "VisitorBook", "-o", "FromTemplate", "--debug:custom-hive", hive)
            .EnsureSuccess("dotnet new enclaveapp");

        string project = Path.Combine(fixture.Root, "FromTemplate", "VisitorBook", "VisitorBook.csproj");
        Assert.Contains($"Version=\"{fixture.Version}\"", File.ReadAllText(Path.Combine(fixture.Root, "FromTemplate", "VisitorBook.Enclave", "VisitorBook.Enclave.csproj")));
        DotnetProcess.Result build = fixture.Dotnet(fixture.Root, "build", project, "--disable-build-servers").EnsureSuccess("dotnet build of the template's app");
        Assert.Contains("enclavegen: signed VisitorBook.Enclave.Greeter: mrenclave ", build.Output);

        string output = Path.Combine(fixture.Root, "FromTemplate", "VisitorBook", s_debugOutput);
        string text = fixture.Dotnet(output, "VisitorBook.dll").EnsureSuccess("the template's app").Output;
        Assert.Contains("Hello, Alice!", text);
        Assert.Contains("Welcome back, Alice (visit 2).", text);
        Assert.Contains("the enclave says: 2 distinct visitor(s) so far", text);

        // docs/getting-started.md, step 1, shows this output.
        Walkthrough.Read(Path.Combine(fixture.RepoRoot, "docs", "getting-started.md")).AssertPrinted("template", text);
    }

    private static string[] FilesUnder(IEnumerable<string> entries, string folder)
        => entries.Where(e => e.StartsWith(folder, StringComparison.Ordinal))
            .Select(e => e[folder.Length..])
            .Order(StringComparer.Ordinal)
            .ToArray();

    private static XElement Nuspec(ZipArchive package)
    {
        ZipArchiveEntry entry = package.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal) && !e.FullName.Contains('/'));
        using Stream stream = entry.Open();
        return XElement.Load(stream);
    }

    private static XNamespace Ns(ZipArchive package) => Nuspec(package).Name.Namespace;
}
