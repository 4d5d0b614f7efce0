using System.Text.Json;
using EnclaveGen.Tests;

namespace EnclaveGen.Package.Tests;

/// <summary>
/// build/EnclaveGen.LargeBuffers.targets: which runtimeconfig option an app gets, read from MSBuild's
/// own evaluation of a project that imports the file (the package's transitive targets import it;
/// <see cref="PackageTests"/> checks that a packaged app's runtimeconfig.json carries it).
/// </summary>
public sealed class LargeObjectThresholdTargetsTests : IDisposable
{
    private static readonly Dictionary<string, string> s_noVariables = [];
    private readonly string _folder = Directory.CreateTempSubdirectory("enclavegen-loh-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void AnAppGetsTwoMebibytes()
        => Assert.Equal(["2097152"], ThresholdOptions(Project("Exe")));

    [Fact]
    public void ALibraryGetsNothingItHasNoRuntimeConfiguration()
        => Assert.Empty(ThresholdOptions(Project("Library")));

    [Fact]
    public void TheAppChoosesAnotherSizeOrDotnetsDefault()
    {
        string project = Project("Exe");
        Assert.Equal(["1048576"], ThresholdOptions(project, "-p:EnclaveGenLohThreshold=1048576"));
        Assert.Empty(ThresholdOptions(project, "-p:EnclaveGenLohThreshold=default"));
    }

    [Fact]
    public void AValueTheAppSetsItselfIsKeptAndNotDoubled()
    {
        Assert.Equal(["100000"], ThresholdOptions(Project("Exe", """<ItemGroup><RuntimeHostConfigurationOption Include="System.GC.LOHThreshold" Value="100000" /></ItemGroup>""")));

        string withTemplate = Project("Exe");
        File.WriteAllText(Path.Combine(_folder, "runtimeconfig.template.json"), """{ "configProperties": { "System.GC.LOHThreshold": 300000 } }""");
        Assert.Empty(ThresholdOptions(withTemplate));
    }

    [Fact]
    public void ASizeThatIsNotANumberOfBytesFailsTheBuildSayingWhatToWrite()
    {
        DotnetProcess.Result result = DotnetProcess.Run(_folder, s_noVariables, "msbuild", Project("Exe"), "-nologo", "-nodeReuse:false", "-t:_EnclaveGenCheckLohThreshold", "-p:EnclaveGenLohThreshold=2MB");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("EnclaveGenLohThreshold is '2MB': give a size in bytes", result.Output);
    }

    private string Project(string outputType, string body = "")
    {
        string targets = Path.Combine(PackageFixture.Metadata("EnclaveGenRepoRoot"), "build", "EnclaveGen.LargeBuffers.targets");
        string path = Path.Combine(_folder, "App.csproj");
        File.WriteAllText(path, $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup><OutputType>{outputType}</OutputType><TargetFramework>net10.0</TargetFramework></PropertyGroup>
              {body}
              <Import Project="{targets}" />
            </Project>
            """);
        return path;
    }

    /// <summary>The values of every System.GC.LOHThreshold option MSBuild evaluates for the project.</summary>
    private string[] ThresholdOptions(string project, params string[] properties)
    {
        DotnetProcess.Result result = DotnetProcess.Run(_folder, s_noVariables, ["msbuild", project, "-nologo", "-nodeReuse:false", "-getItem:RuntimeHostConfigurationOption", .. properties])
            .EnsureSuccess("dotnet msbuild -getItem");
        using JsonDocument items = JsonDocument.Parse(result.Output);
        return items.RootElement.GetProperty("Items").GetProperty("RuntimeHostConfigurationOption").EnumerateArray()
            .Where(item => item.GetProperty("Identity").GetString() == "System.GC.LOHThreshold")
            .Select(item => item.GetProperty("Value").GetString()!)
            .ToArray();
    }
}
