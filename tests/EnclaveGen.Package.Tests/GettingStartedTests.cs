using EnclaveGen.Tests;

namespace EnclaveGen.Package.Tests;

/// <summary>
/// docs/getting-started.md, done as a user would against the packed packages: the template, the
/// page's files written into it, the page's edit applied, and what the tools print compared with
/// the page's output blocks. The page and this test cannot drift apart.
/// </summary>
[Collection(PackageCollection.Name)]
public sealed class GettingStartedTests(PackageFixture fixture)
{
    [Fact]
    public void WalkthroughFromTheTemplateToAHostedEnclavePrintsWhatThePageSays()
    {
        Walkthrough page = Walkthrough.Read(Path.Combine(fixture.RepoRoot, "docs", "getting-started.md"));
        string hive = fixture.InstallTemplates();
        string folder = Path.Combine(fixture.Root, "getting-started");
        Directory.CreateDirectory(folder);
        fixture.Dotnet(folder, "new", "enclaveapp", "-n", "KeyValue", "--debug:custom-hive", hive).EnsureSuccess("dotnet new enclaveapp");
        string app = Path.Combine(folder, "KeyValue");

        // 2. The store and its host, with a leak in the audit line.
        File.Delete(Path.Combine(app, "KeyValue.Enclave", "Greeter.cs"));
        page.WriteFile(app, "KeyValue.Enclave/Store.cs");
        page.WriteFile(app, "KeyValue/Program.cs");

        // 3. The build fails with the page's error; the page's edit fixes it.
        DotnetProcess.Result leak = fixture.Dotnet(app, "build", "--disable-build-servers");
        Assert.NotEqual(0, leak.ExitCode);
        page.AssertPrinted("leak", leak.Output);
        page.ApplyEdit(app, "KeyValue.Enclave/Store.cs");
        fixture.Dotnet(app, "build", "--disable-build-servers").EnsureSuccess("dotnet build after the fix");

        // 4 and 5. Runs, in-process and isolated; the quote verifies.
        string run = fixture.Dotnet(app, "run", "--project", "KeyValue", "--no-build").EnsureSuccess("dotnet run").Output;
        page.AssertPrinted("run", run);
        page.AssertPrinted("quote", run);
        string isolatedMode = "InProcess";
        if (OperatingSystem.IsLinux())
        {
            isolatedMode = "Isolated";
            string isolated = fixture.Dotnet(app, "run", "--project", "KeyValue", "--no-build", "--", "--isolated").EnsureSuccess("dotnet run -- --isolated").Output;
            page.AssertPrinted("run-isolated", isolated);
            page.AssertPrinted("quote", isolated);
        }

        // 6. Hosted with AddEnclave; the mode from configuration. (The page's `dotnet add package`
        // takes the newest version; here the packed one and the repository's pin.)
        fixture.Dotnet(app, "add", "KeyValue", "package", "EnclaveGen.Hosting", "--version", fixture.Version).EnsureSuccess("dotnet add package EnclaveGen.Hosting");
        fixture.Dotnet(app, "add", "KeyValue", "package", "Microsoft.Extensions.Hosting", "--version", fixture.MicrosoftExtensionsVersion).EnsureSuccess("dotnet add package Microsoft.Extensions.Hosting");
        page.WriteFile(app, "KeyValue/Program.cs", occurrence: 1);
        fixture.Dotnet(app, "build", "--disable-build-servers").EnsureSuccess("dotnet build of the hosted app");
        string hosted = fixture.Dotnet(app, "run", "--project", "KeyValue", "--no-build", "--", $"--Enclaves:Store:Mode={isolatedMode}").EnsureSuccess("dotnet run of the hosted app").Output;
        page.AssertPrinted("hosted", isolatedMode == "Isolated" ? hosted : hosted.Replace("(InProcess,", "(Isolated,", StringComparison.Ordinal));
    }
}
