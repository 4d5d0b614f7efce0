using System.Runtime.InteropServices;

namespace EnclaveGen.Runtime.Transport.Isolated;

/// <summary>
/// Finds what starts the enclave process: the <c>dotnet</c> host that runs this process, and
/// EnclaveGen.EnclaveHost.dll, which ships next to EnclaveGen.Runtime in every app that uses it; or,
/// in a self-contained publish, the enclave host's own executable, which runs on the app's runtime.
/// </summary>
internal static class EnclaveHostLocator
{
    public const string HostAssemblyName = "EnclaveGen.EnclaveHost";

    private static readonly Lazy<string> s_generatedRuntimeConfig = new(WriteRuntimeConfig);

    /// <summary>
    /// How to start the enclave process: the program, its arguments and the folder to start it in.
    /// A self-contained publish writes <c>EnclaveGen.EnclaveHost</c> (an app host) with the app's own
    /// runtime configuration beside the assembly: it runs on the runtime in the app's folder, so no
    /// dotnet installation is needed (build/EnclaveGen.Publish.targets). Otherwise the dotnet host
    /// that runs this process executes the assembly.
    /// </summary>
    public static (string Program, IReadOnlyList<string> Arguments, string Folder) FindLaunch()
    {
        (string assembly, string runtimeConfig) = FindEnclaveHost();
        string folder = Path.GetDirectoryName(assembly)!;
        string executable = Path.Combine(folder, HostAssemblyName + (OperatingSystem.IsWindows() ? ".exe" : string.Empty));
        return File.Exists(executable)
            ? (executable, [], folder)
            : (FindDotnet(), ["exec", "--runtimeconfig", runtimeConfig, assembly], folder);
    }

    /// <summary>The dotnet host (muxer) of the runtime this process runs on.</summary>
    public static string FindDotnet()
    {
        string? processPath = Environment.ProcessPath;
        if (processPath is not null && Path.GetFileNameWithoutExtension(processPath) == "dotnet")
        {
            return processPath;
        }

        // Started through an app host or the test host: the muxer sits three levels above the
        // shared framework folder (dotnet/shared/Microsoft.NETCore.App/<version>/).
        List<string> candidates = [Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", "..", "dotnet"))];
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } hostPath)
        {
            candidates.Add(hostPath);
        }

        if (Environment.GetEnvironmentVariable("DOTNET_ROOT") is { Length: > 0 } root)
        {
            candidates.Add(Path.Combine(root, "dotnet"));
        }

        return candidates.FirstOrDefault(File.Exists)
            ?? throw new EnclaveException(
                $"Isolated mode starts the enclave with the dotnet host, which was not found (looked at {string.Join(", ", candidates)}). " +
                "Set DOTNET_ROOT to the .NET installation folder.");
    }

    /// <summary>EnclaveGen.EnclaveHost.dll and its runtime configuration.</summary>
    public static (string Assembly, string RuntimeConfig) FindEnclaveHost()
    {
        string fileName = HostAssemblyName + ".dll";
        List<string> folders = [AppContext.BaseDirectory];
#pragma warning disable IL3000 // Empty in a single-file app; then the app's folder above is the only candidate.
        if (Path.GetDirectoryName(typeof(EnclaveHostLocator).Assembly.Location) is { Length: > 0 } runtimeFolder)
#pragma warning restore IL3000
        {
            folders.Add(runtimeFolder);
        }

        foreach (string folder in folders)
        {
            string assembly = Path.Combine(folder, fileName);
            if (File.Exists(assembly))
            {
                string config = Path.Combine(folder, HostAssemblyName + ".runtimeconfig.json");
                return (assembly, File.Exists(config) ? config : s_generatedRuntimeConfig.Value);
            }
        }

        throw new EnclaveException(
            $"Isolated mode needs {fileName} next to the app (looked in {string.Join(", ", folders.Distinct())}). " +
            "It ships with EnclaveGen.Runtime; check that the app's build or publish output has it.");
    }

    // Where the app's output has no runtime configuration for the enclave host, one is written
    // that names the framework this process runs on, so the enclave runs on the same runtime.
    private static string WriteRuntimeConfig()
    {
        DirectoryInfo folder = Directory.CreateTempSubdirectory("enclavegen-");
        string path = Path.Combine(folder.FullName, HostAssemblyName + ".runtimeconfig.json");
        string version = Environment.Version.ToString();
        string tfm = $"net{Environment.Version.Major}.{Environment.Version.Minor}";
        File.WriteAllText(
            path,
            "{\"runtimeOptions\":{\"tfm\":\"" + tfm + "\",\"framework\":{\"name\":\"Microsoft.NETCore.App\",\"version\":\"" + version + "\"}}}");
        return path;
    }
}
