using System.Reflection;

namespace EnclaveGen.Isolation.Tests.Images;

/// <summary>
/// The enclave library the measured-image tests attack, compiled once per test run: <c>Probe</c>
/// (an enclave whose ECALLs use a dependency, an optional dependency and a framework assembly,
/// and whose module initializer leaves a trace), its dependency <c>Dep</c> in two versions, and
/// the optional dependency <c>Extra</c>.
/// </summary>
internal static class ProbeImages
{
    public const string EnclaveAssembly = "Probe";
    public const string HarnessType = "Swap.Harness";

    /// <summary>Where the enclave library's module initializer appends a line (pid and load context), when set.</summary>
    public const string TraceVariable = "ENCLAVEGEN_TEST_MODULE_TRACE";

    /// <summary>A library the runtime references for the host's side only, which MRENCLAVE leaves out (HostSideAssemblies).</summary>
    public const string LoggingAbstractions = "Microsoft.Extensions.Logging.Abstractions";

    private const string DepSource = """
        namespace Swap;
        public static class Dep
        {
            public static string Version() => "VERSION";
        }
        """;

    private const string ExtraSource = """
        namespace Swap;
        public static class Extra
        {
            public static string Hello() => "extra code ran";
        }
        """;

    private const string EnclaveSource = """
        using System.Runtime.CompilerServices;
        using System.Runtime.Loader;
        using EnclaveGen;

        namespace Swap;

        [Enclave]
        public partial class Probe
        {
            [Trusted] public string DepVersion() => Dep.Version();

            [Trusted] public string UseExtra() => Extra.Hello();

            [Trusted] public string FrameworkFolder() => System.IO.Path.GetDirectoryName(typeof(System.Text.Json.JsonSerializer).Assembly.Location) ?? "";

            [Trusted] public string LoadContext() => AssemblyLoadContext.GetLoadContext(typeof(Probe).Assembly)?.Name ?? "";

            // The runtime's host-side libraries (logging) that this process has loaded, after trusted
            // code used the runtime's enclave-side services (sealing, reports, quotes).
            [Trusted]
            public string HostSideLibrariesLoaded()
            {
                byte[] sealedBlob = EnclaveGen.EnclaveSealing.Seal(new byte[] { 1, 2, 3 }, EnclaveGen.SealingPolicy.MrEnclave);
                EnclaveGen.EnclaveSealing.Unseal(sealedBlob);
                EnclaveGen.EnclaveAttestation.CreateQuote(new byte[64]);
                var names = new System.Collections.Generic.List<string>();
                foreach (System.Reflection.Assembly assembly in System.AppDomain.CurrentDomain.GetAssemblies())
                {
                    string name = assembly.GetName().Name ?? "";
                    if (name.StartsWith("Microsoft.Extensions.", System.StringComparison.Ordinal))
                    {
                        names.Add(name + " in " + (AssemblyLoadContext.GetLoadContext(assembly)?.Name ?? "?"));
                    }
                }

                return string.Join(";", names);
            }

            // Trusted code that names a host-side library's type (the enclave library references it).
            [Trusted] public string UseLogging() => typeof(Microsoft.Extensions.Logging.ILogger).Assembly.Location;

            // Trusted code that asks the process's default context for a host-side library by name.
            [Trusted] public string LoadLoggingIntoTheProcess() => AssemblyLoadContext.Default.LoadFromAssemblyName(new System.Reflection.AssemblyName("Microsoft.Extensions.Logging.Abstractions")).Location;

            [Trusted]
            public int Hog(int megabytes)
            {
                var kept = new System.Collections.Generic.List<byte[]>();
                for (int i = 0; i < megabytes; i++)
                {
                    byte[] chunk = new byte[1 << 20];
                    System.Array.Fill(chunk, (byte)i);
                    kept.Add(chunk);
                }

                return kept.Count;
            }
        }

        public static class Trace
        {
            [ModuleInitializer]
            internal static void Leave()
            {
                string? path = System.Environment.GetEnvironmentVariable("ENCLAVEGEN_TEST_MODULE_TRACE");
                if (path is not null)
                {
                    string context = AssemblyLoadContext.GetLoadContext(typeof(Trace).Assembly)?.Name ?? "";
                    System.IO.File.AppendAllText(path, $"{System.Environment.ProcessId}|{context}|MARK\n");
                }
            }
        }

        public static class Harness
        {
            public static async System.Threading.Tasks.Task<object> CreateAsync(EnclaveOptions options) => await Probe.CreateEnclaveAsync(options);

            public static string DepVersion(object proxy) => ((Probe.Proxy)proxy).DepVersion();

            public static string UseExtra(object proxy) => ((Probe.Proxy)proxy).UseExtra();

            public static string FrameworkFolder(object proxy) => ((Probe.Proxy)proxy).FrameworkFolder();

            public static string LoadContext(object proxy) => ((Probe.Proxy)proxy).LoadContext();

            public static string HostSideLibrariesLoaded(object proxy) => ((Probe.Proxy)proxy).HostSideLibrariesLoaded();

            public static string UseLogging(object proxy) => ((Probe.Proxy)proxy).UseLogging();

            public static string LoadLoggingIntoTheProcess(object proxy) => ((Probe.Proxy)proxy).LoadLoggingIntoTheProcess();

            public static int Hog(object proxy, int megabytes) => ((Probe.Proxy)proxy).Hog(megabytes);

            public static System.Threading.Tasks.ValueTask DisposeAsync(object proxy) => ((Probe.Proxy)proxy).DisposeAsync();
        }
        """;

    /// <summary>
    /// Writes Dep (version 1) and Probe into a new folder and signs Probe there (without Extra,
    /// which the measurement records as absent). <paramref name="mark"/> changes the enclave's
    /// code, so the same name can be built twice with different images.
    /// </summary>
    public static EnclaveFolder Build(string name, string mark = "one", long heapLimitBytes = 0, bool sign = true)
    {
        EnclaveFolder folder = new(name);
        folder.Library("Dep", DepSource.Replace("VERSION", "v1", StringComparison.Ordinal));
        folder.Library("Extra", ExtraSource, write: false);

        // Logging.Abstractions sits beside the enclave as in any app's output (the runtime references it).
        folder.Existing(LoggingAbstractions);
        Dictionary<string, string> properties = new() { ["EnclaveMaxThreads"] = "2" };
        if (heapLimitBytes > 0)
        {
            properties["EnclaveHeapLimit"] = heapLimitBytes.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        folder.Enclave(EnclaveAssembly, EnclaveSource.Replace("MARK", mark, StringComparison.Ordinal), properties, "Dep", "Extra", LoggingAbstractions);
        if (sign)
        {
            folder.Sign(EnclaveAssembly);
        }

        return folder;
    }

    /// <summary>Dep's second version: the code an attacker swaps in.</summary>
    public static byte[] DepVersion2(EnclaveFolder folder) => folder.Library("Dep", DepSource.Replace("VERSION", "v2", StringComparison.Ordinal), write: false);

    /// <summary>The optional dependency's image, to drop into the folder after signing.</summary>
    public static byte[] ExtraImage(EnclaveFolder folder) => folder.Library("Extra", ExtraSource, write: false);

    /// <summary>Replaces a file the way an update would: a new file renamed over the old one.</summary>
    public static void Replace(string path, byte[] image)
    {
        string temporary = path + ".new";
        File.WriteAllBytes(temporary, image);
        File.Move(temporary, path, overwrite: true);
    }

    public static async Task<object> CreateAsync(Type harness, EnclaveOptions options)
    {
        try
        {
            return await (Task<object>)Invoke(harness, "CreateAsync", options);
        }
        catch (TargetInvocationException exception) when (exception.InnerException is not null)
        {
            throw exception.InnerException;
        }
    }

    public static T Call<T>(Type harness, string method, object proxy, params object[] arguments)
    {
        try
        {
            return (T)Invoke(harness, method, [proxy, .. arguments]);
        }
        catch (TargetInvocationException exception) when (exception.InnerException is not null)
        {
            throw exception.InnerException;
        }
    }

    public static async Task DisposeAsync(Type harness, object proxy) => await (ValueTask)Invoke(harness, "DisposeAsync", proxy);

    private static object Invoke(Type harness, string method, params object[] arguments) =>
        harness.GetMethod(method, BindingFlags.Public | BindingFlags.Static)!.Invoke(null, arguments)!;
}
