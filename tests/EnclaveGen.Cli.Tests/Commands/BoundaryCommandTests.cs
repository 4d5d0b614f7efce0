using System.Text.Json;
using System.Text.RegularExpressions;
using EnclaveGen.Cli.CommandLine;
using static EnclaveGen.Cli.Tests.CommandLine.CliRun;

namespace EnclaveGen.Cli.Tests.Commands;

/// <summary>
/// <c>enclavegen boundary</c> on real compiled enclave libraries: the test enclave Probe (one
/// crossing of each kind) and the PasswordVault sample, in text, JSON and Mermaid.
/// </summary>
public sealed partial class BoundaryCommandTests
{
    private const string Probe = "EnclaveGen.Cli.TestEnclave.Probe";

    private static string ProbeLibrary => Output("EnclaveGen.Cli.TestEnclave.dll");

    [Fact]
    public void JsonListsEveryCrossingWithDirectionsSecretsUserCheckAndAllowLists()
    {
        (int exit, string output, string error) = Run("boundary", ProbeLibrary, "--format", "json");

        Assert.Equal(ExitCode.Success, exit);
        Assert.Equal(string.Empty, error);
        using JsonDocument document = JsonDocument.Parse(output);
        Assert.Equal("EnclaveGen.Cli.TestEnclave.dll", document.RootElement.GetProperty("assembly").GetString());
        JsonElement enclave = Assert.Single(document.RootElement.GetProperty("enclaves").EnumerateArray());
        Assert.Equal(Probe, enclave.GetProperty("enclave").GetString());
        Assert.True(enclave.GetProperty("debug").GetBoolean());

        Dictionary<string, JsonElement> ecalls = enclave.GetProperty("ecalls").EnumerateArray().ToDictionary(e => e.GetProperty("name").GetString()!);
        Dictionary<string, JsonElement> ocalls = enclave.GetProperty("ocalls").EnumerateArray().ToDictionary(e => e.GetProperty("name").GetString()!);
        Assert.Equal(["Store", "Reveal", "Fill", "Count", "Rotate", "Refresh", "LengthAsync"], ecalls.Keys);
        Assert.Equal(["Announce", "FetchAsync"], ocalls.Keys);
        Assert.All(ecalls.Values.Concat(ocalls.Values), c => Assert.Matches("^0x[0-9a-f]{8}$", c.GetProperty("id").GetString()!));

        Assert.Equal([("name", "in", false, false), ("key", "in", true, false)], Parameters(ecalls["Store"]));
        Assert.False(ecalls["Store"].GetProperty("returns").GetProperty("secret").GetBoolean());
        Assert.True(ecalls["Reveal"].GetProperty("returns").GetProperty("secret").GetBoolean());
        Assert.Equal("string", ecalls["Reveal"].GetProperty("returns").GetProperty("type").GetString());
        Assert.Equal([("buffer", "out_sized_by_caller", false, false), ("counter", "in_out", false, false), ("total", "out", false, false)], Parameters(ecalls["Fill"]));
        Assert.Equal([("values", "in", false, true)], Parameters(ecalls["Count"]));
        Assert.Equal(JsonValueKind.Null, ecalls["Rotate"].GetProperty("returns").ValueKind);
        Assert.Equal([("url", "in", false, false), ("cancellationToken", "not_marshalled", false, false)], Parameters(ecalls["LengthAsync"]));
        Assert.True(ecalls["LengthAsync"].GetProperty("async").GetBoolean());
        Assert.True(ocalls["FetchAsync"].GetProperty("async").GetBoolean());

        // EDL allow, seen from both ends.
        Assert.True(ecalls["Refresh"].GetProperty("private").GetBoolean());
        Assert.Equal(["Announce"], ecalls["Refresh"].GetProperty("allowedDuring").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["Refresh"], ocalls["Announce"].GetProperty("allows").EnumerateArray().Select(e => e.GetString()));
        Assert.Empty(ocalls["FetchAsync"].GetProperty("allows").EnumerateArray());
        Assert.All(ecalls.Values.Where(e => e.GetProperty("name").GetString() != "Refresh"), e => Assert.False(e.GetProperty("private").GetBoolean()));

        // Type names keep their angle brackets: the relaxed encoder escapes nothing ASCII.
        Assert.Contains("System.Threading.Tasks.Task<int>", output, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u003C", output, StringComparison.Ordinal);
    }

    [Fact]
    public void TextIsEdlLikeWithTheSameFacts()
    {
        (int exit, string output, _) = Run("boundary", ProbeLibrary);

        Assert.Equal(ExitCode.Success, exit);
        Assert.StartsWith($"enclave {Probe} (DEBUG), 8 thread slots, heap limit none", output, StringComparison.Ordinal);
        Assert.Contains("public int Store([in] string name, [in, secret] byte[] key);", output, StringComparison.Ordinal);
        Assert.Contains("public [secret] string Reveal([in] string name);", output, StringComparison.Ordinal);
        Assert.Contains("public int Fill([out, size from caller] byte[] buffer, [in, out] int counter, [out] long total);", output, StringComparison.Ordinal);
        Assert.Contains("public int Count([in, user_check] int[] values);", output, StringComparison.Ordinal);
        Assert.Contains("private void Refresh([in] int generation) allow during (Announce);", output, StringComparison.Ordinal);
        Assert.Contains("public void Announce([in] int generation) allow (Refresh);", output, StringComparison.Ordinal);
        Assert.True(output.IndexOf("trusted {", StringComparison.Ordinal) < output.IndexOf("untrusted {", StringComparison.Ordinal));
    }

    [Fact]
    public void MermaidDrawsHostEnclaveAndEveryCrossing()
    {
        (int exit, string output, _) = Run("boundary", ProbeLibrary, "--format", "mermaid");

        Assert.Equal(ExitCode.Success, exit);
        string[] lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("flowchart LR", lines[0]);
        Assert.Contains("    subgraph host[\"Host (untrusted)\"]", lines);
        Assert.Contains($"    subgraph e0[\"Enclave {Probe} (DEBUG)\"]", lines);

        // One arrow per crossing: seven ECALLs from the proxy, two OCALLs from the enclave, one allow.
        string[] edges = [.. lines.Where(l => EdgeLine().IsMatch(l))];
        Assert.Equal(7, edges.Count(e => e.Contains("\"ECALL ", StringComparison.Ordinal) && e.TrimStart().StartsWith("e0_proxy ", StringComparison.Ordinal)));
        Assert.Equal(2, edges.Count(e => e.Contains("\"OCALL ", StringComparison.Ordinal) && e.TrimStart().StartsWith("e0 ", StringComparison.Ordinal)));
        Assert.Contains("    e0_o0 -.->|\"allow: may call Refresh\"| e0_t5", lines);
        Assert.Equal(10, edges.Length);

        Assert.Contains("    e0_proxy -->|\"ECALL Store(in name: string, in SECRET key: byte[]) → int\"| e0_t0", lines);
        Assert.Contains("    e0_proxy -.->|\"ECALL Count(in user_check values: int[]) → int\"| e0_t3", lines);
        Assert.Contains("    e0_proxy -->|\"ECALL Refresh(in generation: int) only during Announce\"| e0_t5", lines);
        Assert.Contains("    e0_proxy -->|\"ECALL LengthAsync(in url: string) → System.Threading.Tasks.Task#lt;int#gt;\"| e0_t6", lines);

        // Secret-carrying arrows red (Store, Reveal), the user_check arrow dashed (Count); by edge index.
        Assert.Equal(["    linkStyle 0 stroke:#d62728,stroke-width:2px", "    linkStyle 1 stroke:#d62728,stroke-width:2px", "    linkStyle 3 stroke-width:2px,stroke-dasharray:4 3"], lines.Where(l => l.StartsWith("    linkStyle", StringComparison.Ordinal)));
    }

    [Fact]
    public void ReadingTheBoundaryLoadsNoCodeOfTheLibrary()
    {
        Assert.Equal(ExitCode.Success, Run("boundary", ProbeLibrary, "--format", "json").Exit);

        Assert.DoesNotContain(AppDomain.CurrentDomain.GetAssemblies(), a => a.GetName().Name == "EnclaveGen.Cli.TestEnclave");
    }

    [Fact]
    public void EnclaveOptionPicksOneClassOrNamesTheClassesThereAre()
    {
        Assert.Equal(ExitCode.Success, Run("boundary", ProbeLibrary, "--enclave", Probe).Exit);

        (int exit, string output, string error) = Run("boundary", ProbeLibrary, "--enclave", "Nope.Vault", "--format", "json");
        Assert.Equal(ExitCode.Unusable, exit);
        Assert.Equal(string.Empty, error);
        (string code, string message) = JsonError(output);
        Assert.Equal("EG5050", code);
        Assert.Contains($"'Nope.Vault'; it has {Probe}", message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnAssemblyThatIsNoEnclaveLibrarySaysSo()
    {
        (int exit, _, string error) = Run("boundary", Output("enclavegen.dll"));

        Assert.Equal(ExitCode.Unusable, exit);
        Assert.Contains("error EG5050: ", error, StringComparison.Ordinal);
        Assert.Contains("records no enclave boundary", error, StringComparison.Ordinal);
    }

    /// <summary>docs/cli.md shows the PasswordVault sample's picture: it is what the command draws from the built sample.</summary>
    [Fact]
    public void TheDocsPictureOfPasswordVaultIsWhatTheCommandDraws()
    {
        (int exit, string output, _) = Run("boundary", Output("PasswordVault.Enclave.dll"), "--format", "mermaid");
        Assert.Equal(ExitCode.Success, exit);
        Assert.Contains("SECRET password: string", output, StringComparison.Ordinal);

        string docs = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "cli.md")).ReplaceLineEndings("\n");
        Match block = MermaidBlock().Match(docs);
        Assert.True(block.Success, "docs/cli.md has no ```mermaid block");
        Assert.Equal(output.ReplaceLineEndings("\n"), block.Groups[1].Value);
    }

    private static (string, string, bool, bool)[] Parameters(JsonElement crossing) =>
        [.. crossing.GetProperty("parameters").EnumerateArray().Select(p => (
            p.GetProperty("name").GetString()!, p.GetProperty("direction").GetString()!, p.GetProperty("secret").GetBoolean(), p.GetProperty("userCheck").GetBoolean()))];

    private static string RepositoryRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EnclaveGen.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"EnclaveGen.sln not found above {AppContext.BaseDirectory}");
    }

    [GeneratedRegex(@"^\s+\S+ (-->|-\.->)\|")]
    private static partial Regex EdgeLine();

    [GeneratedRegex("```mermaid\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex MermaidBlock();
}
