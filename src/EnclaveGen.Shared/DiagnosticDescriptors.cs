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
    public const string HelpLinkBase = "https://github.com/enclavegen/enclavegen/blob/main/docs/diagnostics/";

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

    private static DiagnosticDescriptor Error(string id, string category, string title, string message) =>
        new(id, title, message, category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLinkBase + id + ".md");
}
