using EnclaveGen.Analyzers.Apis;
using Microsoft.CodeAnalysis.Text;
using static EnclaveGen.Analyzers.Tests.Infrastructure.EnclaveTestSetup;
using Verify = EnclaveGen.Analyzers.Tests.Infrastructure.EnclaveAnalyzerTest<EnclaveGen.Analyzers.Apis.EnclaveApiAnalyzer>;

namespace EnclaveGen.Analyzers.Tests.Apis;

public sealed class EnclaveApiAnalyzerTests
{
    private static string Enclave(string body) => """
        using System;
        using System.Diagnostics;
        using System.IO;
        using System.Net.Sockets;
        using System.Runtime.InteropServices;
        using System.Threading;
        using System.Threading.Tasks;
        using EnclaveGen;

        [Enclave]
        public partial class Vault
        {
        """ + body + """

            [Untrusted] private static partial Task<string> FetchAsync(string url);
        }

        partial class Vault
        {
            private static partial Task<string> FetchAsync(string url) => Task.FromResult("");
        }
        """;

    [Fact]
    public async Task FileSystemSocketsProcessesConsoleAndEnvironmentAreReported()
    {
        await Verify.VerifyAsync(Enclave("""
                [Trusted]
                public void Run()
                {
                    string text = {|#0:File.ReadAllText("/etc/passwd")|};
                    using var socket = {|#1:new Socket(SocketType.Stream, ProtocolType.Tcp)|};
                    {|#2:Process.Start("sh")|};
                    {|#3:Console.WriteLine("hi")|};
                    string? home = {|#4:Environment.GetEnvironmentVariable("HOME")|};
                    string nl = Environment.NewLine;
                }
            """),
            Diagnostic("EG1201", 0).WithArguments("File.ReadAllText", "an enclave has no file system"),
            Diagnostic("EG1201", 1),
            Diagnostic("EG1201", 2),
            Diagnostic("EG1201", 3),
            Diagnostic("EG1201", 4).WithArguments("Environment.GetEnvironmentVariable", "the environment belongs to the host"));
    }

    [Fact]
    public async Task ThreadsTaskRunTimersAndReflectionEmitAreReported()
    {
        await Verify.VerifyAsync(Enclave("""
                [Trusted]
                public async Task Run()
                {
                    var thread = {|#0:new Thread(() => { })|};
                    {|#1:thread.Start()|};
                    await {|#2:Task.Run(() => 1)|};
                    using var timer = {|#3:new Timer(_ => { })|};
                    await {|#4:Task.Delay(10)|};
                    var name = new System.Reflection.AssemblyName("x");
                    {|#5:System.Reflection.Emit.AssemblyBuilder.DefineDynamicAssembly(name, System.Reflection.Emit.AssemblyBuilderAccess.Run)|};
                }
            """),
            Diagnostic("EG1201", 0), Diagnostic("EG1201", 1), Diagnostic("EG1201", 2),
            Diagnostic("EG1201", 3), Diagnostic("EG1201", 4), Diagnostic("EG1201", 5));
    }

    [Fact]
    public async Task PInvokeDeclarationsAndCallsAreReported()
    {
        await Verify.VerifyAsync(Enclave("""
                [DllImport("libc")]
                private static extern int {|#0:getpid|}();

                [Trusted]
                public int Pid() => {|#1:getpid()|};
            """),
            Diagnostic("EG1201", 0), Diagnostic("EG1201", 1));
    }

    [Fact]
    public async Task AwaitingAnOcallAndPureApisAreFine()
    {
        await Verify.VerifyAsync(Enclave("""
                [Trusted]
                public async Task<int> Run(string url)
                {
                    string body = await FetchAsync(url);
                    var ms = new MemoryStream();
                    string path = Path.Combine("a", "b");
                    byte[] nonce = new byte[12];
                    System.Security.Cryptography.RandomNumberGenerator.Fill(nonce);
                    var epoch = new DateTime(2000, 1, 1);
                    var id = Guid.NewGuid();
                    return body.Length + path.Length + (int)ms.Length + epoch.Year + id.GetHashCode();
                }
            """));
    }

    [Fact]
    public async Task EverythingCompiledIntoTheEnclaveLibraryIsEnclaveCode()
    {
        await Verify.VerifyAsync(
            Enclave("") + """

            static class Helper
            {
                public static string Read(string path) => {|#0:File.ReadAllText(path)|};

                public static void Show(string text) => {|#1:Console.WriteLine(text)|};
            }
            """,
            Diagnostic("EG1201", 0).WithArguments("File.ReadAllText", "an enclave has no file system"),
            Diagnostic("EG1201", 1));
    }

    [Fact]
    public async Task WithTheEnclaveTypesScopeCodeOutsideTheEnclaveClassesMayUseEveryApi()
    {
        var test = new Verify(Enclave("""
                [Trusted]
                public void Run() => {|#0:Console.WriteLine("inside")|};
            """) + """

            class Host
            {
                void Run() { Console.WriteLine(File.ReadAllText("x")); }
            }
            """,
            Diagnostic("EG1201", 0));
        test.TestState.AnalyzerConfigFiles.Add(("/.globalconfig", """
            is_global = true
            build_property.EnclaveCodeScope = enclave-types
            """));
        await test.RunAsync();
    }

    [Fact]
    public async Task ALibraryWithoutAnEnclaveIsHostCode()
    {
        await Verify.VerifyAsync("""
            using System;
            using System.IO;

            class Host
            {
                void Run() { Console.WriteLine(File.ReadAllText("x")); }
            }
            """);
    }

    [Fact]
    public async Task ReadingTheClockIsAWarning()
    {
        await Verify.VerifyAsync(Enclave("""
                [Trusted]
                public bool Expired(long notAfter) => {|#0:DateTime.UtcNow|}.Ticks > notAfter || {|#1:Stopwatch.GetTimestamp()|} < 0;
            """),
            Diagnostic("EG1202", 0).WithArguments("DateTime.UtcNow"),
            Diagnostic("EG1202", 1));
    }

    [Fact]
    public async Task SystemRandomIsAWarning()
    {
        await Verify.VerifyAsync(Enclave("""
                [Trusted]
                public int Roll() => {|#0:{|#1:Random.Shared|}.Next()|};
            """),
            Diagnostic("EG1203", 0).WithArguments("Random.Next"),
            Diagnostic("EG1203", 1).WithArguments("Random.Shared"));
    }

    [Fact]
    public async Task TheListIsExtendedAndRelaxedInEditorConfig()
    {
        var test = new Verify(Enclave("""
                [Trusted]
                public void Run()
                {
                    {|#0:Telemetry.Upload("x")|};
                    Console.WriteLine("allowed here");
                }
            """) + """

            public static class Telemetry { public static void Upload(string s) { } }
            """,
            Diagnostic("EG1201", 0).WithArguments("Telemetry.Upload", "listed in .editorconfig"));
        test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", """
            root = true

            [*.cs]
            enclavegen.unavailable_apis = M:Telemetry.Upload
            enclavegen.allowed_apis = T:System.Console
            """));
        await test.RunAsync();
    }

    [Fact]
    public async Task TheListIsExtendedInAnAdditionalFileAndBadLinesAreReported()
    {
        var test = new Verify(Enclave("""
                [Trusted]
                public void Run() => {|#0:Telemetry.Upload("x")|};
            """) + """

            namespace My { }
            public static class Telemetry { public static void Upload(string s) { } }
            """,
            Diagnostic("EG1201", 0).WithArguments("Telemetry.Upload", "sends data to the vendor"),
            new Microsoft.CodeAnalysis.Testing.DiagnosticResult("EG1204", Microsoft.CodeAnalysis.DiagnosticSeverity.Warning)
                .WithSpan("/0/" + ApiRuleSet.AdditionalFileName, 3, 1, 3, 15)
                .WithArguments("Upload(string)", ApiRuleSet.AdditionalFileName, "it does not start with N:, T:, M:, P:, F: or E:"));
        test.TestState.AdditionalFiles.Add(("/0/" + ApiRuleSet.AdditionalFileName, SourceText.From("""
            # project-specific APIs the enclave must not call
            M:Telemetry.Upload ; sends data to the vendor
            Upload(string)
            """)));
        await test.RunAsync();
    }

    [Fact]
    public void ListEntriesAreParsedWithReasonsAndAllowMarks()
    {
        var rules = ApiRuleSet.Parse(SourceText.From("N:My.Net ; no network\n!T:My.Net.Safe\n# comment\n\nM:NoType\n"), ApiRuleKind.Unavailable, "x", out var invalid);
        Assert.Equal(2, rules.Length);
        Assert.Equal("no network", rules[0].Reason);
        Assert.Equal(ApiRuleKind.Allowed, rules[1].Kind);
        var bad = Assert.Single(invalid);
        Assert.Equal("a member needs its type: 'M:Namespace.Type.Member'", bad.Problem);
    }
}
