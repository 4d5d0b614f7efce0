using Microsoft.CodeAnalysis;

namespace EnclaveGen.Shared;

/// <summary>
/// Every diagnostic EnclaveGen reports, grouped by ID range. IDs are stable: tools and
/// .editorconfig files name them. Each has a page at docs/diagnostics/EGxxxx.md.
/// </summary>
/// <remarks>
/// EG10xx attribute misuse · EG11xx host and boundary misuse · EG12xx APIs an enclave cannot use ·
/// EG2xxx marshalling · EG3xxx leaks · EG4xxx side channels.
/// </remarks>
internal static class DiagnosticDescriptors
{
    public const string HelpLinkBase = RepositoryInfo.Url + "/blob/main/docs/diagnostics/";

    private const string Boundary = "EnclaveGen.Boundary";
    private const string Marshalling = "EnclaveGen.Marshalling";

    // EG10xx: misuse of the attributes. The generator skips exactly what these report.

    public static readonly DiagnosticDescriptor BoundaryMethodOutsideEnclave = Error(
        "EG1001", Boundary,
        "[Trusted] or [Untrusted] method outside an [Enclave] class",
        "'{0}' is marked [{1}] but '{2}' is not an [Enclave] class; move the method into an [Enclave] partial class or remove the attribute");

    public static readonly DiagnosticDescriptor EnclaveNotPartial = Error(
        "EG1002", Boundary,
        "[Enclave] class must be partial",
        "Enclave class '{0}' must be declared 'partial' so the generator can add its proxy and stubs");

    public static readonly DiagnosticDescriptor EnclaveConstructorWithParameters = Error(
        "EG1003", Boundary,
        "[Enclave] class needs a parameterless constructor only",
        "Enclave class '{0}' declares constructor '{1}' with parameters; the enclave creates its instance itself, so keep only a parameterless constructor and pass data in a [Trusted] call");

    public static readonly DiagnosticDescriptor UntrustedWithoutAccessibility = Error(
        "EG1004", Boundary,
        "[Untrusted] declaration needs explicit accessibility",
        "[Untrusted] method '{0}' has no accessibility modifier, so C# would silently drop every call to it; declare it 'private static partial' (or another explicit accessibility)");

    public static readonly DiagnosticDescriptor UntrustedWithBody = Error(
        "EG1005", Boundary,
        "[Untrusted] method must not have a body",
        "[Untrusted] method '{0}' has a body; the host implements OCALLs through the generated IUntrusted interface, so declare it without a body ('private static partial void {0}(...);')");

    public static readonly DiagnosticDescriptor UntrustedNotStaticPartial = Error(
        "EG1006", Boundary,
        "[Untrusted] method must be 'static partial'",
        "[Untrusted] method '{0}' must be declared 'static partial' with no body; the generator writes its implementation");

    public static readonly DiagnosticDescriptor TrustedNotInstance = Error(
        "EG1007", Boundary,
        "[Trusted] method must be an ordinary instance method",
        "[Trusted] method '{0}' is {1}; an ECALL runs on the enclave's instance, so make it a non-static, non-abstract method with a body");

    public static readonly DiagnosticDescriptor TrustedAndUntrusted = Error(
        "EG1008", Boundary,
        "A method cannot be both [Trusted] and [Untrusted]",
        "'{0}' is marked both [Trusted] and [Untrusted]; an ECALL enters the enclave and an OCALL leaves it, so keep one");

    public static readonly DiagnosticDescriptor GenericBoundaryMember = Error(
        "EG1009", Boundary,
        "Generic enclaves and boundary methods are not supported",
        "'{0}' is generic; the boundary needs one concrete signature per method, so remove the type parameters");

    public static readonly DiagnosticDescriptor EnclaveNotTopLevel = Error(
        "EG1010", Boundary,
        "[Enclave] class must be a top-level, non-static class",
        "Enclave class '{0}' {1}; declare it as a non-static class directly in a namespace");

    public static readonly DiagnosticDescriptor ReservedMemberName = Error(
        "EG1011", Boundary,
        "Name is reserved by generated code",
        "'{0}' in enclave '{1}' uses a name the generator emits ({2}); rename it");

    public static readonly DiagnosticDescriptor MethodIdCollision = Error(
        "EG1012", Boundary,
        "Two boundary methods hash to the same method ID",
        "'{0}' and '{1}' have the same 32-bit method ID 0x{2}; rename one of them");

    public static readonly DiagnosticDescriptor InvalidBuildSetting = new(
        "EG1013",
        "Invalid enclave build setting",
        "MSBuild property '{0}' is '{1}': {2}",
        Boundary,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        helpLinkUri: HelpLinkBase + "EG1013.md",
        customTags: WellKnownDiagnosticTags.CompilationEnd);

    public static readonly DiagnosticDescriptor PrivateEcallNeverAllowed = new(
        "EG1014",
        "Private ECALL is allowed by no OCALL",
        "Private [Trusted] method '{0}' is a private ECALL, which the host may call only while an OCALL that allows it runs, and no [Untrusted] method lists it in Allow; make it public, or add it to the Allow list of the OCALL during which the host calls it",
        Boundary,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        helpLinkUri: HelpLinkBase + "EG1014.md");

    public static readonly DiagnosticDescriptor AllowNamesNoPrivateEcall = Error(
        "EG1015", Boundary,
        "Allow must name private ECALLs of the same enclave",
        "[Untrusted] method '{0}' allows '{1}', which {2}");

    public static readonly DiagnosticDescriptor InvalidTrustedApplicationUuid = Error(
        "EG1016", Boundary,
        "[TrustedApplication] needs a UUID",
        "[TrustedApplication] on enclave '{0}' gives '{1}', which is not a UUID in its 36-character form (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx); write one, or remove the attribute to derive the UUID from the class name");

    // EG2xxx: marshalling.

    public static readonly DiagnosticDescriptor TypeCannotCross = Error(
        "EG2001", Marshalling,
        "Type cannot cross the enclave boundary",
        "{0} of '{1}' has type '{2}', which cannot cross the boundary: {3}");

    public static readonly DiagnosticDescriptor OutOnImmutableType = Error(
        "EG2002", Marshalling,
        "[Out] where the callee cannot fill the value",
        "Parameter '{0}' of '{1}' is marked [Out], but {2}");

    public static readonly DiagnosticDescriptor MissingOutDirection = new(
        "EG2003",
        "The callee writes to a buffer whose changes are not copied back",
        "[Trusted] method '{0}' writes to '{1}', but without [Out] or [In, Out] its changes stay inside the enclave and the caller never sees them; mark the parameter [In, Out] (or [Out] if it is only filled), or copy it before writing",
        Marshalling,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        helpLinkUri: HelpLinkBase + "EG2003.md");

    public static readonly DiagnosticDescriptor UserCheckUsed = new(
        "EG2004",
        "Memory shared without copying ([UnsafeUserCheck])",
        "'{0}' is passed without copying ([UnsafeUserCheck]): trusted code reads and writes the caller's array directly, the host can change it at any moment, and every write is visible to the host; validate what you read once and keep secrets out of it",
        Marshalling,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true,
        helpLinkUri: HelpLinkBase + "EG2004.md");

    public static readonly DiagnosticDescriptor UserCheckMisplaced = Error(
        "EG2005", Marshalling,
        "[UnsafeUserCheck] where it cannot apply",
        "Parameter '{0}' of '{1}' is marked [UnsafeUserCheck], but {2}");

    // EG11xx: host and boundary misuse. Every crossing goes through generated code.

    private const string EnclaveApis = "EnclaveGen.EnclaveApis";
    private const string Leaks = "EnclaveGen.Leaks";
    private const string SideChannels = "EnclaveGen.SideChannels";

    public static readonly DiagnosticDescriptor EnclaveCreatedByHost = Error(
        "EG1101", Boundary,
        "Host code creates an [Enclave] object",
        "'{0}' is an enclave; host code must not hold its instance. Create it with 'await {0}.CreateEnclaveAsync(host)' and call it through the returned '{0}.Proxy'.");

    public static readonly DiagnosticDescriptor TrustedCalledDirectly = Error(
        "EG1102", Boundary,
        "Host code calls a [Trusted] member directly",
        "'{0}' is an ECALL of enclave '{1}'; host code must call it through '{1}.Proxy' (from '{1}.CreateEnclaveAsync'), not on the enclave object");

    public static readonly DiagnosticDescriptor BoundaryMethodAsDelegate = Error(
        "EG1103", Boundary,
        "Boundary method used as a delegate or method group",
        "[{1}] method '{0}' is turned into a delegate; a boundary crossing must be a direct call the generator can see, so call it inside a lambda or a normal method instead");

    public static readonly DiagnosticDescriptor MutableStaticState = Error(
        "EG1104", Boundary,
        "Mutable static state in enclave code",
        "Static {0} '{1}' in enclave '{2}' is mutable; static state outlives the enclave instance and is shared by every call, so make it 'readonly' or 'const', or move it into an instance field");

    // EG12xx: APIs an enclave cannot use.

    public static readonly DiagnosticDescriptor ApiNotAvailableInEnclave = Error(
        "EG1201", EnclaveApis,
        "API not available inside an enclave",
        "'{0}' cannot be used in trusted code: {1}; ask the host through an [Untrusted] method, or remove the call");

    public static readonly DiagnosticDescriptor HostControlledTime = Warning(
        "EG1202", EnclaveApis,
        "Time read inside an enclave comes from the host",
        "'{0}' reads the clock, which the host controls and can move; do not base expiry, freshness or ordering decisions on it without a trusted time source (an attested timestamp, or a monotonic counter sealed by the enclave)");

    public static readonly DiagnosticDescriptor NonCryptographicRandom = Warning(
        "EG1203", EnclaveApis,
        "Non-cryptographic randomness inside an enclave",
        "'{0}' is predictable; use 'System.Security.Cryptography.RandomNumberGenerator' for keys, nonces and anything a secret depends on");

    public static readonly DiagnosticDescriptor InvalidApiListEntry = Warning(
        "EG1204", EnclaveApis,
        "Entry in the enclave API list is not understood",
        "Entry '{0}' in {1} is not understood: {2}; write 'N:Namespace', 'T:Namespace.Type' or 'M:Namespace.Type.Member', optionally followed by '; reason'");

    // EG3xxx: leaks. Reported at the sink; the source is the additional location.

    public static readonly DiagnosticDescriptor SecretToOcall = Error(
        "EG3001", Leaks,
        "Secret reaches an OCALL argument",
        "'{0}' reaches OCALL '{1}'{2}; pass only public data to the host, or release it on purpose with Secrets.Declassify(value, \"why\")");

    public static readonly DiagnosticDescriptor SecretToEcallResult = Error(
        "EG3002", Leaks,
        "Secret reaches an ECALL result",
        "'{0}' reaches {1} of ECALL '{2}'{3}; the host receives it in the clear, so return only public data or release it on purpose with Secrets.Declassify(value, \"why\")");

    public static readonly DiagnosticDescriptor SecretToStaticState = Error(
        "EG3003", Leaks,
        "Secret stored in static state",
        "'{0}' is stored in static {1} '{2}'{3}; static state outlives the enclave instance and is reachable from any code, so keep secrets in instance fields or locals");

    public static readonly DiagnosticDescriptor SecretInException = Error(
        "EG3004", Leaks,
        "Secret in an exception thrown from trusted code",
        "'{0}' reaches an exception thrown from trusted code{1}; exceptions cross the boundary with their message, so describe the failure without the secret");

    public static readonly DiagnosticDescriptor SecretToLog = Error(
        "EG3005", Leaks,
        "Secret written to a log or console",
        "'{0}' reaches log output '{1}'{2}; logs, console, debug and trace output leave the enclave, so log a public description instead");

    public static readonly DiagnosticDescriptor ImplicitFlow = Warning(
        "EG3006", Leaks,
        "A secret decides what leaves the enclave",
        "A branch on '{0}' decides {1}; the host learns the branch taken. Make the outgoing data independent of the secret, or declassify the condition with Secrets.Declassify(value, \"why\")");

    public static readonly DiagnosticDescriptor LooksSecretButUnmarked = new(
        "EG3007",
        "Data that looks secret is not marked [Secret]",
        "'{0}' looks like a secret ({1}) but is not marked [Secret], so the leak analysis does not follow it; add [Secret] if it must not leave the enclave",
        Leaks,
        DiagnosticSeverity.Info,
        isEnabledByDefault: true,
        helpLinkUri: HelpLinkBase + "EG3007.md");

    public static readonly DiagnosticDescriptor InvalidModelEntry = Warning(
        "EG3008", Leaks,
        "Entry in the leak-analysis models file is not understood",
        "Entry '{0}' in {1} is not understood: {2}; see the models format in docs/diagnostics/taint-analysis.md");

    // EG4xxx: side channels inside trusted code.

    public static readonly DiagnosticDescriptor SecretBranch = Warning(
        "EG4001", SideChannels,
        "A secret decides a branch, loop or conditional expression",
        "{1} depends on '{0}'; its timing and memory accesses reveal the secret, so compute both outcomes and select without branching, or declassify the condition");

    public static readonly DiagnosticDescriptor EarlyExitComparison = Warning(
        "EG4002", SideChannels,
        "Early-exit comparison of a secret",
        "'{1}' compares '{0}' and stops at the first difference, so its timing reveals how much matched; use CryptographicOperations.FixedTimeEquals");

    public static readonly DiagnosticDescriptor SecretIndex = Warning(
        "EG4003", SideChannels,
        "A secret is used as an index",
        "'{0}' is used as an index; which memory is read reveals the secret through the cache, so scan the whole table and select without branching");

    public static readonly DiagnosticDescriptor SecretDivisor = Warning(
        "EG4004", SideChannels,
        "A secret is used as a divisor",
        "'{0}' is used as a divisor; division time depends on its operands, so avoid dividing by a secret (multiply by a public inverse, or use a constant-time routine)");

    private static DiagnosticDescriptor Warning(string id, string category, string title, string message) =>
        new(id, title, message, category, DiagnosticSeverity.Warning, isEnabledByDefault: true, helpLinkUri: HelpLinkBase + id + ".md");

    private static DiagnosticDescriptor Error(string id, string category, string title, string message) =>
        new(id, title, message, category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinkBase + id + ".md");
}
