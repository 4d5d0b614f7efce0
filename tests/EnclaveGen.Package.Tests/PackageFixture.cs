using System.Reflection;

using EnclaveGen.Tests;

namespace EnclaveGen.Package.Tests;

/// <summary>
/// Shared by the package tests, done once: packs EnclaveGen, EnclaveGen.Hosting, EnclaveGen.Cli, EnclaveGen.Testing, EnclaveGen.AspNetCore and
/// EnclaveGen.Templates from this build with a unique prerelease version into a temporary feed,
/// and lays out, outside the repository, what a user would have: a nuget.config with that feed,
/// an enclave library and a host app that only reference the package, a second enclave library
/// with a planted leak, and a host that constructs the enclave class directly. All restore once into a private NUGET_PACKAGES folder.
/// </summary>
public sealed class PackageFixture : IDisposable
{
    private readonly Lazy<DotnetProcess.Result> _hostBuild;
    private readonly Lazy<string> _templateHive;

    public PackageFixture()
    {
        RepoRoot = Metadata("EnclaveGenRepoRoot");
        Configuration = Metadata("EnclaveGenConfiguration");
        Version = "0.1.0-test.t" + Guid.NewGuid().ToString("N")[..12];
        Root = Directory.CreateTempSubdirectory("enclavegen-package-").FullName;
        Feed = Path.Combine(Root, "feed");
        Environment = new Dictionary<string, string>
        {
            // A private package folder: nothing of an earlier run (or of another version) is reused.
            ["NUGET_PACKAGES"] = Path.Combine(Root, "packages"),
            ["ENCLAVEGEN_HOME"] = Path.Combine(Root, "home"),
        };

        _hostBuild = new(() => Dotnet(Root, "build", "Host/Host.csproj", "--no-restore", "--disable-build-servers"));
        _templateHive = new(() =>
        {
            string hive = Path.Combine(Root, "template-hive");
            Dotnet(Root, "new", "install", PackagePath("EnclaveGen.Templates"), "--debug:custom-hive", hive).EnsureSuccess("dotnet new install");
            return hive;
        });
        try
        {
            Pack();
            WriteConsumers();
            Dotnet(Root, "restore", "Consumers.slnx").EnsureSuccess("dotnet restore of the consumer projects");
        }
        catch
        {
            // xunit does not dispose a fixture whose constructor threw.
            Dispose();
            throw;
        }
    }

    public string RepoRoot { get; }

    public string Configuration { get; }

    /// <summary>The version every package was packed with, unique to this run.</summary>
    public string Version { get; }

    /// <summary>The temporary folder that holds everything; its nuget.config applies to all below it.</summary>
    public string Root { get; }

    /// <summary>The local-folder package source the packs went to.</summary>
    public string Feed { get; }

    public IReadOnlyDictionary<string, string> Environment { get; }

    /// <summary>The project's address (the MSBuild property EnclaveGenRepositoryUrl), which package metadata and help links come from.</summary>
    public string RepositoryUrl { get; } = Metadata("EnclaveGenRepositoryUrl");

    /// <summary>The repository's pin of the Microsoft.Extensions packages (restored already, so a local source has it).</summary>
    public string MicrosoftExtensionsVersion { get; } = Metadata("MicrosoftExtensionsHostingVersion");

    /// <summary>Installs the packed template into a private hive once; returns the hive for --debug:custom-hive.</summary>
    public string InstallTemplates() => _templateHive.Value;

    /// <summary>
    /// The first build of the host app, which builds and signs the enclave library: whichever
    /// test runs first builds it, and every test sees the same output.
    /// </summary>
    public DotnetProcess.Result HostBuild => _hostBuild.Value;

    public string PackagePath(string id) => Path.Combine(Feed, $"{id}.{Version}.nupkg");

    public DotnetProcess.Result Dotnet(string workingDirectory, params string[] arguments)
        => DotnetProcess.Run(workingDirectory, Environment, arguments);

    public void Write(string relativePath, string content)
    {
        string path = Path.Combine(Root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A child process that still holds a file: the temporary folder is left behind.
        }
    }

    internal static string Metadata(string key)
        => typeof(PackageFixture).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value
            ?? throw new InvalidOperationException($"Assembly metadata {key} is missing.");

    // The projects are already built in this configuration (the test project references them), so
    // packing only assembles the files. PackageVersion leaves the assembly version alone, so
    // nothing recompiles.
    private void Pack()
    {
        foreach (string project in new[] { "src/EnclaveGen/EnclaveGen.csproj", "src/EnclaveGen.Hosting/EnclaveGen.Hosting.csproj", "src/EnclaveGen.Cli/EnclaveGen.Cli.csproj", "src/EnclaveGen.Testing/EnclaveGen.Testing.csproj", "src/EnclaveGen.AspNetCore/EnclaveGen.AspNetCore.csproj", "templates/EnclaveGen.Templates.csproj" })
        {
            Dotnet(RepoRoot, "pack", Path.Combine(RepoRoot, project), "--no-build", "-c", Configuration, $"-p:PackageVersion={Version}", "-o", Feed, "-nodeReuse:false")
                .EnsureSuccess($"dotnet pack {project}");
        }
    }

    private void WriteConsumers()
    {
        // The feed, and the machine's global package cache as a second local folder: it holds
        // BouncyCastle and the rest once the repository has restored, so the remote default
        // source is cleared and no test reaches the network. (This is the test's own throwaway
        // config; a machine without that cache falls back to the default source.)
        string machineCache = System.Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        string cacheSource = Directory.Exists(machineCache) ? $"""<add key="machine-cache" value="{machineCache}" />""" : string.Empty;
        Write("nuget.config", $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                {(cacheSource.Length > 0 ? "<clear />" : string.Empty)}
                <add key="enclavegen-test-feed" value="{Feed}" />
                {cacheSource}
              </packageSources>
            </configuration>
            """);

        // Nothing from the folders above applies.
        Write("Directory.Build.props", "<Project />");
        Write("Directory.Build.targets", "<Project />");
        Write("Directory.Packages.props", "<Project />");

        WriteEnclaveLibrary("Lib", """
            using EnclaveGen;

            namespace Lib;

            [Enclave]
            public partial class Counter
            {
                private readonly Dictionary<string, int> _visits = new(StringComparer.Ordinal);

                [Trusted]
                public string Visit(string name)
                {
                    _visits.TryGetValue(name, out int count);
                    _visits[name] = ++count;
                    Log($"{_visits.Count} distinct visitor(s)");
                    return $"{name}: visit {count}";
                }

                [Untrusted]
                private static partial void Log(string message);
            }
            """);

        Write("Host/Host.csproj", """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
              </PropertyGroup>
              <ItemGroup>
                <ProjectReference Include="../Lib/Lib.csproj" />
              </ItemGroup>
            </Project>
            """);
        Write("Host/Program.cs", """
            using EnclaveGen;
            using Lib;

            EnclaveMode mode = args.Contains("--isolated") ? EnclaveMode.Isolated : EnclaveMode.InProcess;
            await using Counter.Proxy counter = await Counter.CreateEnclaveAsync(new ConsoleHost(), new EnclaveOptions { Mode = mode });
            Console.WriteLine($"mode {mode}");
            foreach (string name in new[] { "Alice", "Bob", "Alice" })
            {
                Console.WriteLine(counter.Visit(name));
            }

            internal sealed class ConsoleHost : Counter.IUntrusted
            {
                public void Log(string message) => Console.WriteLine($"ocall: {message}");
            }
            """);

        // A leak the analyzers must stop: a [Secret] parameter handed to an OCALL.
        WriteEnclaveLibrary("Leaky", """
            using EnclaveGen;

            namespace Leaky;

            [Enclave]
            public partial class Vault
            {
                [Trusted]
                public bool Check(string user, [Secret] string password)
                {
                    Audit(user, "login " + password);
                    return true;
                }

                [Untrusted]
                private static partial void Audit(string user, string detail);
            }
            """);

        // Host code that bypasses the proxy: the analyzers reach host projects through the targets.
        Write("MisusingHost/MisusingHost.csproj", """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
              </PropertyGroup>
              <ItemGroup>
                <ProjectReference Include="../Lib/Lib.csproj" />
              </ItemGroup>
            </Project>
            """);
        Write("MisusingHost/Program.cs", """
            Console.WriteLine(new Lib.Counter().Visit("Alice"));
            """);

        Write("Consumers.slnx", """
            <Solution>
              <Project Path="Lib/Lib.csproj" />
              <Project Path="Host/Host.csproj" />
              <Project Path="Leaky/Leaky.csproj" />
              <Project Path="MisusingHost/MisusingHost.csproj" />
            </Solution>
            """);
    }

    private void WriteEnclaveLibrary(string name, string source)
    {
        Write($"{name}/{name}.csproj", $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <EmitCompilerGeneratedFiles>true</EmitCompilerGeneratedFiles>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="EnclaveGen" Version="{Version}" />
              </ItemGroup>
            </Project>
            """);
        Write($"{name}/Enclave.cs", source);
    }
}
