namespace EnclaveGen.Identity.Tests.Publishing;

/// <summary>
/// An enclave library with one ECALL and the app that calls it, in a temporary folder that builds
/// against this repository as its samples do (build/InRepo.EnclaveLibrary.targets). The app runs the
/// ECALL in-process and isolated and prints one line for each. How it is published comes from the
/// EgPublishVariant environment variable, read as an MSBuild property by the app project only (a
/// global property would reach the referenced projects and build them again for every variant), and
/// each variant has its own output and intermediate folders, so the variants publish side by side.
/// </summary>
internal static class PublishedApp
{
    public const string EnclaveType = "Published.Greeter";

    public static void Write(string root)
    {
        Write(root, "Directory.Build.props", $"""
            <Project>
              <Import Project="{TestEnvironment.RepoRoot}Directory.Build.props" />
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <PathMap>$(MSBuildThisFileDirectory)=/_/</PathMap>
              </PropertyGroup>
            </Project>
            """);
        Write(root, "Directory.Build.targets", "<Project />");
        Write(root, "Enclave/Enclave.csproj", """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <EnclaveDebugKeyId>9c1d5e7a-3b2f-4e8d-a6c4-1f0e2d3c4b5a</EnclaveDebugKeyId>
              </PropertyGroup>
              <Import Project="$(RepoRoot)build/InRepo.EnclaveLibrary.targets" />
            </Project>
            """);
        Write(root, "Enclave/Greeter.cs", """
            using EnclaveGen;

            namespace Published;

            [Enclave]
            public partial class Greeter
            {
                [Trusted]
                public string Greet(string name) => $"Hello, {name}, from inside";
            }
            """);
        Write(root, "App/App.csproj", """
            <Project Sdk="Microsoft.NET.Sdk">
              <Import Project="$(RepoRoot)build/EnclaveGen.Publish.targets" />
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <OutputPath>bin/$(EgPublishVariant)/</OutputPath>
                <IntermediateOutputPath>obj/$(EgPublishVariant)/</IntermediateOutputPath>
              </PropertyGroup>
              <!-- As a user writes them in the host project. -->
              <PropertyGroup Condition="'$(EgPublishVariant)' != 'framework-dependent'">
                <RuntimeIdentifier>$(NETCoreSdkRuntimeIdentifier)</RuntimeIdentifier>
              </PropertyGroup>
              <PropertyGroup Condition="'$(EgPublishVariant)' == 'single-file'">
                <SelfContained>false</SelfContained>
                <PublishSingleFile>true</PublishSingleFile>
              </PropertyGroup>
              <PropertyGroup Condition="'$(EgPublishVariant)' == 'self-contained' or '$(EgPublishVariant)' == 'trimmed'">
                <SelfContained>true</SelfContained>
              </PropertyGroup>
              <PropertyGroup Condition="'$(EgPublishVariant)' == 'trimmed'">
                <PublishTrimmed>true</PublishTrimmed>
              </PropertyGroup>
              <ItemGroup>
                <ProjectReference Include="../Enclave/Enclave.csproj" />
              </ItemGroup>
            </Project>
            """);
        Write(root, "App/Program.cs", """
            using EnclaveGen;
            using Published;

            foreach (EnclaveMode mode in new[] { EnclaveMode.InProcess, EnclaveMode.Isolated })
            {
                await using Greeter.Proxy greeter = await Greeter.CreateEnclaveAsync(new EnclaveOptions { Mode = mode });
                Console.WriteLine($"{mode}: {greeter.Greet("publish")}");
            }
            """);
    }

    private static void Write(string root, string relativePath, string content)
    {
        string path = Path.Combine(root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }
}
