namespace EnclaveGen.Runtime.Identity;

/// <summary>
/// Libraries the runtime references only for what it does on the host's side (logging), which the
/// measurement leaves out like the shared framework. The enclave's side never loads them. Their
/// version is the app's choice: ASP.NET Core carries them in its shared framework, and any app
/// may take a newer one; hashing them would refuse an enclave for a difference that cannot touch
/// it. See docs/measurement.md, "Which assemblies are measured".
/// </summary>
public static class HostSideAssemblies
{
    private static readonly HashSet<string> s_names = new(StringComparer.OrdinalIgnoreCase)
    {
        "Microsoft.Extensions.Logging.Abstractions",
        "Microsoft.Extensions.DependencyInjection.Abstractions",
    };

    /// <summary>True when <paramref name="simpleName"/> is one of these libraries.</summary>
    public static bool Contains(string simpleName) => s_names.Contains(simpleName);
}
