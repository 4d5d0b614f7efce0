using EnclaveGen.Tests;

namespace EnclaveGen.Identity.Tests;

/// <summary>
/// A small solution in a temporary folder, as a user would have it: Helper (a library the enclave
/// references), Enclave (the enclave library, with the EnclaveGen build targets and a hand-written
/// EnclaveDefinition attribute standing in for the generator's, taking EnclaveMaxThreads as the
/// generator does), and App (the host, with the EnclaveGen publish targets).
/// </summary>
internal sealed class EnclaveSolution : IDisposable
{
    public const string EnclaveType = "Vault.Enclave.Vault";

    /// <summary>The EnclaveDebugKeyId the enclave project declares.</summary>
    public const string DebugKeyId = "0b7f4d1e-6a52-4c89-9e3d-1f2a3b4c5d6e";

    /// <param name="name">Part of the temporary folder's name.</param>
    /// <param name="home">The ENCLAVEGEN_HOME of the builds; by default one inside the solution's folder.</param>
    public EnclaveSolution(string name, string? home = null)
    {
        Root = Directory.CreateTempSubdirectory($"egbuild-{name}-").FullName;
        Home = home ?? Path.Combine(Root, "home");
        Write("Directory.Build.props", "<Project />");
        Write("Directory.Build.targets", "<Project />");
        Write("Helper/Helper.csproj", """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <!-- Reproducible across folders and commits, as docs/measurement.md asks of every library an enclave uses. -->
                <PathMap Condition="'$(HelperUnmapped)' != 'true'">$(MSBuildProjectDirectory)=/_/</PathMap>
                <IncludeSourceRevisionInInformationalVersion>false</IncludeSourceRevisionInInformationalVersion>
                <EnableSourceLink>false</EnableSourceLink>
              </PropertyGroup>
            </Project>
            """);
        Write("Helper/Mixer.cs", """
            namespace Helper;
            public static class Mixer
            {
                public static int Mix(int value) => value * 31 + 7;
            }
            """);
        Write("Enclave/Enclave.csproj", $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <Import Project="{TestEnvironment.BuildDirectory}/EnclaveGen.props" />
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <EnclaveGenToolPath>{TestEnvironment.CliPath}</EnclaveGenToolPath>
                <EnclaveDebugKeyId Condition="'$(EnclaveDebugKeyId)' == ''">{DebugKeyId}</EnclaveDebugKeyId>
              </PropertyGroup>
              <ItemGroup>
                <ProjectReference Include="../Helper/Helper.csproj" />
                <Reference Include="EnclaveGen.Runtime" HintPath="{TestEnvironment.RuntimeAssembly("EnclaveGen.Runtime")}" />
                <Reference Include="EnclaveGen.Abstractions" HintPath="{TestEnvironment.RuntimeAssembly("EnclaveGen.Abstractions")}" />
              </ItemGroup>
              <ItemGroup>
                <AssemblyAttribute Include="EnclaveGen.Runtime.Generated.EnclaveDefinitionAttribute">
                  <_Parameter1>{EnclaveType}</_Parameter1>
                  <_Parameter2>$(EnclaveMaxThreads)</_Parameter2>
                  <_Parameter2_IsLiteral>true</_Parameter2_IsLiteral>
                  <_Parameter3>0L</_Parameter3>
                  <_Parameter3_IsLiteral>true</_Parameter3_IsLiteral>
                </AssemblyAttribute>
              </ItemGroup>
              <Import Project="{TestEnvironment.BuildDirectory}/EnclaveGen.targets" />
            </Project>
            """);
        Write("Enclave/Vault.cs", """
            namespace Vault.Enclave;
            public class Vault
            {
                public int Check(int value) => Codec.Encode(Helper.Mixer.Mix(value)) + Pad(value);
                private static int Pad(int value) => value & 1;
            }
            """);
        Write("Enclave/Codec.cs", """
            namespace Vault.Enclave;
            internal static class Codec
            {
                public static int Encode(int value) => value ^ 0x5A;
            }
            """);
        Write("App/App.csproj", $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <Import Project="{TestEnvironment.BuildDirectory}/EnclaveGen.Publish.targets" />
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
              </PropertyGroup>
              <ItemGroup>
                <ProjectReference Include="../Enclave/Enclave.csproj" />
              </ItemGroup>
            </Project>
            """);
        Write("App/Program.cs", """
            System.Console.WriteLine(new Vault.Enclave.Vault().Check(2));
            """);
    }

    public string Root { get; }

    /// <summary>The ENCLAVEGEN_HOME of the builds (debug keys live here).</summary>
    public string Home { get; }

    public string AppOutput => Path.Combine(Root, "App", "bin", "Debug", "net10.0");

    public string EnclaveInAppOutput => Path.Combine(AppOutput, "Enclave.dll");

    public void Write(string relativePath, string content)
    {
        string path = Path.Combine(Root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }

    public void Replace(string relativePath, string oldText, string newText)
    {
        string path = Path.Combine(Root, relativePath);
        string content = File.ReadAllText(path);
        if (!content.Contains(oldText, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"'{oldText}' is not in {relativePath}.");
        }

        File.WriteAllText(path, content.Replace(oldText, newText, StringComparison.Ordinal));
    }

    /// <summary>
    /// `dotnet &lt;command&gt; App/App.csproj ...`, which covers the whole solution. No build servers
    /// are left running; one in-process node is much faster here than starting worker nodes.
    /// </summary>
    public DotnetProcess.Result Dotnet(string command, params string[] arguments)
        => ProcessRunner.Dotnet(Root, Home, [command, Path.Combine(Root, "App", "App.csproj"), "--disable-build-servers", "-m:1", .. arguments]);

    /// <summary>Restores once; every later build runs with --no-restore.</summary>
    public void Restore() => Dotnet("restore").EnsureSuccess("dotnet restore");

    public DotnetProcess.Result Build(params string[] arguments) => Dotnet("build", ["--no-restore", .. arguments]).EnsureSuccess("dotnet build");

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
