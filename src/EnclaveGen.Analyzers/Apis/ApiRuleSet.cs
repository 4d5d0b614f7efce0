using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace EnclaveGen.Analyzers.Apis;

/// <summary>
/// The APIs trusted code may not call: the built-in list below, plus entries from
/// <c>.editorconfig</c> (<c>enclavegen.unavailable_apis</c>, <c>enclavegen.allowed_apis</c>) and
/// from an additional file named <see cref="AdditionalFileName"/>.
/// </summary>
/// <remarks>
/// Time and randomness: an enclave has no clock of its own (SGX removed the trusted timer; the
/// OS answers every clock read), so reading the time is allowed but reported as a warning
/// (EG1202) because the host can move it. <c>System.Random</c> is predictable and is reported
/// (EG1203); <c>RandomNumberGenerator</c> is fine (RDRAND/RDSEED inside the enclave).
/// Awaiting an OCALL is fine; starting threads, timers and <c>Task.Run</c> are not, because the
/// enclave has a fixed set of TCS threads that the host drives.
/// </remarks>
internal sealed class ApiRuleSet
{
    public const string AdditionalFileName = "EnclaveGen.UnavailableApis.txt";
    public const string UnavailableOptionKey = "enclavegen.unavailable_apis";
    public const string AllowedOptionKey = "enclavegen.allowed_apis";

    /// <summary>The built-in list, in the additional-file format.</summary>
    public const string Defaults = """
        # File system
        T:System.IO.File ; an enclave has no file system
        T:System.IO.Directory ; an enclave has no file system
        T:System.IO.FileInfo ; an enclave has no file system
        T:System.IO.DirectoryInfo ; an enclave has no file system
        T:System.IO.FileSystemInfo ; an enclave has no file system
        T:System.IO.FileStream ; an enclave has no file system
        T:System.IO.DriveInfo ; an enclave has no file system
        T:System.IO.FileSystemWatcher ; an enclave has no file system
        M:System.IO.Path.GetTempPath ; an enclave has no file system
        M:System.IO.Path.GetTempFileName ; an enclave has no file system
        N:System.IO.MemoryMappedFiles ; an enclave has no file system
        N:System.IO.Pipes ; an enclave has no pipes or other IPC
        # Network
        N:System.Net.Sockets ; an enclave has no sockets
        N:System.Net.Http ; an enclave has no network stack
        N:System.Net.NetworkInformation ; an enclave has no network stack
        T:System.Net.Dns ; an enclave has no network stack
        T:System.Net.WebClient ; an enclave has no network stack
        T:System.Net.WebRequest ; an enclave has no network stack
        # Processes, console, environment, registry
        T:System.Diagnostics.Process ; an enclave cannot start or inspect processes
        T:System.Console ; an enclave has no console
        T:System.Environment ; the environment belongs to the host
        !M:System.Environment.NewLine
        !M:System.Environment.Is64BitProcess
        !M:System.Environment.CurrentManagedThreadId
        N:Microsoft.Win32 ; an enclave has no registry
        # Native code and code generation
        T:System.Runtime.InteropServices.NativeLibrary ; an enclave cannot load native libraries
        N:System.Reflection.Emit ; an enclave image is measured: it cannot emit code
        # Threads and timers
        M:System.Threading.Thread.#ctor ; an enclave cannot start threads (the host drives its fixed set of TCS threads)
        M:System.Threading.Thread.Start ; an enclave cannot start threads
        M:System.Threading.Thread.UnsafeStart ; an enclave cannot start threads
        T:System.Threading.ThreadPool ; an enclave cannot queue work to the host's thread pool
        M:System.Threading.Tasks.Task.Run ; Task.Run starts work on the host's thread pool
        M:System.Threading.Tasks.TaskFactory.StartNew ; TaskFactory.StartNew starts work on the host's thread pool
        T:System.Threading.Tasks.Parallel ; Parallel starts work on the host's thread pool
        T:System.Threading.Timer ; an enclave has no timers
        T:System.Timers.Timer ; an enclave has no timers
        T:System.Threading.PeriodicTimer ; an enclave has no timers
        M:System.Threading.Tasks.Task.Delay ; an enclave has no timers
        """;

    private const string TimeRules = """
        M:System.DateTime.Now
        M:System.DateTime.UtcNow
        M:System.DateTime.Today
        M:System.DateTimeOffset.Now
        M:System.DateTimeOffset.UtcNow
        M:System.Environment.TickCount
        M:System.Environment.TickCount64
        T:System.Diagnostics.Stopwatch
        M:System.TimeProvider.System
        """;

    private const string RandomRules = """
        T:System.Random
        """;

    private readonly ImmutableArray<ApiRule> _rules;

    // Trusted code calls the same few hundred APIs over and over: match each symbol once.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<ISymbol, ApiRule?> _matches = new(SymbolEqualityComparer.Default);

    private ApiRuleSet(ImmutableArray<ApiRule> rules) => _rules = rules;

    public static ApiRuleSet Build(IEnumerable<ApiRule> extra)
    {
        var rules = ImmutableArray.CreateBuilder<ApiRule>();
        rules.AddRange(Parse(SourceText.From(TimeRules), ApiRuleKind.HostTime, "listed", out _));
        rules.AddRange(Parse(SourceText.From(RandomRules), ApiRuleKind.WeakRandom, "listed", out _));
        rules.AddRange(Parse(SourceText.From(Defaults), ApiRuleKind.Unavailable, "built-in list", out _));
        rules.AddRange(extra);
        return new ApiRuleSet(rules.ToImmutable());
    }

    /// <summary>
    /// Reads the list format: one entry a line, <c>#</c> starts a comment, <c>!</c> in front
    /// allows an API the list would otherwise report, <c>; reason</c> after an entry says why.
    /// </summary>
    public static ImmutableArray<ApiRule> Parse(SourceText text, ApiRuleKind kind, string origin, out ImmutableArray<(TextLine Line, string Problem)> invalid)
    {
        var rules = ImmutableArray.CreateBuilder<ApiRule>();
        var bad = ImmutableArray.CreateBuilder<(TextLine, string)>();
        foreach (TextLine line in text.Lines)
        {
            string entry = line.ToString().Trim();
            if (entry.Length == 0 || entry[0] == '#')
            {
                continue;
            }

            if (TryParseEntry(entry, kind, origin, out ApiRule? rule, out string problem))
            {
                rules.Add(rule!);
            }
            else
            {
                bad.Add((line, problem));
            }
        }

        invalid = bad.ToImmutable();
        return rules.ToImmutable();
    }

    /// <summary>Reads a comma-separated .editorconfig value (no reasons there).</summary>
    public static ImmutableArray<ApiRule> ParseOption(string value, ApiRuleKind kind)
    {
        var rules = ImmutableArray.CreateBuilder<ApiRule>();
        foreach (string part in value.Split(','))
        {
            string entry = part.Trim();
            if (entry.Length > 0 && TryParseEntry(entry, kind, "listed in .editorconfig", out ApiRule? rule, out _))
            {
                rules.Add(rule!);
            }
        }

        return rules.ToImmutable();
    }

    /// <summary>The first rule that applies to <paramref name="symbol"/>; an allowing entry wins over every other.</summary>
    public ApiRule? Find(ISymbol symbol) => _matches.GetOrAdd(symbol.OriginalDefinition, Match);

    private ApiRule? Match(ISymbol symbol)
    {
        INamedTypeSymbol? type = symbol as INamedTypeSymbol ?? symbol.ContainingType;
        if (type is null)
        {
            return null;
        }

        string namespaceName = type.ContainingNamespace?.ToDisplayString() ?? "";
        string typeName = TypeName(type);
        string memberName = symbol is INamedTypeSymbol ? typeName : typeName + "." + MemberName(symbol);

        ApiRule? found = null;
        foreach (ApiRule rule in _rules)
        {
            if (!rule.Matches(namespaceName, typeName, memberName))
            {
                continue;
            }

            if (rule.Kind == ApiRuleKind.Allowed)
            {
                return null;
            }

            found ??= rule;
        }

        return found;
    }

    private static bool TryParseEntry(string entry, ApiRuleKind kind, string origin, out ApiRule? rule, out string problem)
    {
        rule = null;
        string reason = origin;
        int semicolon = entry.IndexOf(';');
        if (semicolon >= 0)
        {
            string given = entry.Substring(semicolon + 1).Trim();
            if (given.Length > 0)
            {
                reason = given;
            }

            entry = entry.Substring(0, semicolon).Trim();
        }

        if (entry.StartsWith("!", StringComparison.Ordinal))
        {
            kind = ApiRuleKind.Allowed;
            entry = entry.Substring(1).Trim();
        }

        if (entry.Length < 3 || entry[1] != ':' || "NTMPFE".IndexOf(entry[0]) < 0)
        {
            problem = "it does not start with N:, T:, M:, P:, F: or E:";
            return false;
        }

        string name = entry.Substring(2).Trim();
        if (name.Length == 0 || name.IndexOf(' ') >= 0 || name.IndexOf('(') >= 0)
        {
            problem = "the name is empty or has spaces or a parameter list";
            return false;
        }

        char scope = entry[0] switch
        {
            'N' => 'N',
            'T' => 'T',
            _ => 'M',
        };

        if (scope == 'M' && name.IndexOf('.') < 0)
        {
            problem = "a member needs its type: 'M:Namespace.Type.Member'";
            return false;
        }

        rule = new ApiRule(scope, name, reason, kind);
        problem = "";
        return true;
    }

    private static string TypeName(INamedTypeSymbol type)
    {
        string name = type.OriginalDefinition.MetadataName;
        int tick = name.IndexOf('`');
        if (tick >= 0)
        {
            name = name.Substring(0, tick);
        }

        if (type.ContainingType is { } outer)
        {
            return TypeName(outer) + "." + name;
        }

        return type.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() + "." + name : name;
    }

    private static string MemberName(ISymbol symbol) => symbol switch
    {
        IMethodSymbol { MethodKind: MethodKind.Constructor or MethodKind.StaticConstructor } => "#ctor",
        IMethodSymbol { AssociatedSymbol: { } property } => property.Name,
        _ => symbol.Name,
    };
}
