namespace EnclaveGen.Generators.Model;

/// <summary>One [Enclave] class with its valid boundary methods: everything the generator emits from.</summary>
/// <param name="Namespace">The containing namespace, or empty for the global namespace.</param>
/// <param name="ClassName">The class's name.</param>
/// <param name="MetadataName">The full metadata name, e.g. <c>Vault.Enclave.Vault</c>.</param>
/// <param name="ImplementsDisposable">Whether the class implements IDisposable (disposed with the enclave).</param>
/// <param name="Trusted">The ECALLs.</param>
/// <param name="Untrusted">The OCALLs.</param>
/// <param name="TrustedApplicationUuid">The UUID that addresses the enclave as a trusted application (lowercase, 36 characters).</param>
internal sealed record EnclaveModel(
    string Namespace,
    string ClassName,
    string MetadataName,
    bool ImplementsDisposable,
    EquatableArray<MethodModel> Trusted,
    EquatableArray<MethodModel> Untrusted,
    string TrustedApplicationUuid);
