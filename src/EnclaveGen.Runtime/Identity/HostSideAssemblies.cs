namespace EnclaveGen.Runtime.Identity;

/// <summary>
/// Libraries the runtime references only for what it does on the host's side (logging), which the
/// measurement leaves out like the shared framework. Their version is the app's choice: ASP.NET
/// Core carries them in its shared framework, and any app may take a newer one; hashing them would
/// refuse an enclave for a difference that cannot touch it. Because they are not measured, none of
/// their code may run inside an enclave: the enclave's load context refuses them, an enclave process
/// never loads them (and ends at once if anything does), and the runtime's enclave-side code does not
/// use them. See docs/measurement.md, "Which assemblies are measured", and docs/security.md.
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
