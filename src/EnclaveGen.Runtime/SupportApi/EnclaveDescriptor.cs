using System.ComponentModel;
using System.Reflection;

namespace EnclaveGen.Runtime.Generated;

/// <summary>What the generator knows about one enclave class: its image, configuration and methods.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class EnclaveDescriptor
{
    private readonly Dictionary<uint, BoundaryMethod> _methods;

    // What the crossing path asks on every call, kept apart so that the common enclave (no
    // private ECALLs, no asynchronous OCALLs) answers without a lookup.
    private readonly Dictionary<uint, BoundaryMethod> _privateEcalls;
    private readonly HashSet<uint> _asyncOcalls;

    /// <summary>Describes an enclave. Called once per enclave class by generated code.</summary>
    /// <param name="supportVersion">The <see cref="SupportApi.Version"/> the generated code was written for.</param>
    /// <param name="enclaveTypeName">Full metadata name of the [Enclave] class.</param>
    /// <param name="image">The enclave library.</param>
    /// <param name="maxThreads">Thread slots: how many ECALLs may run at once.</param>
    /// <param name="heapLimitBytes">Heap limit in bytes, or 0 for none.</param>
    /// <param name="debug">Whether the enclave was built as a debug enclave.</param>
    /// <param name="trustedMethods">The ECALLs.</param>
    /// <param name="untrustedMethods">The OCALLs.</param>
    /// <param name="createDispatcher">Creates the enclave's instance and its dispatcher, inside the enclave.</param>
    public EnclaveDescriptor(
        int supportVersion,
        string enclaveTypeName,
        Assembly image,
        int maxThreads,
        long heapLimitBytes,
        bool debug,
        BoundaryMethod[] trustedMethods,
        BoundaryMethod[] untrustedMethods,
        Func<ITrustedDispatcher> createDispatcher)
    {
        if (supportVersion != SupportApi.Version)
        {
            throw new EnclaveException(
                $"Enclave '{enclaveTypeName}' was generated for EnclaveGen support API version {supportVersion}, " +
                $"but this EnclaveGen.Runtime speaks version {SupportApi.Version}. Use the same EnclaveGen version for the generator and the runtime.");
        }

        if (maxThreads is < 1 or > ushort.MaxValue)
        {
            throw new EnclaveException($"Enclave '{enclaveTypeName}' has EnclaveMaxThreads = {maxThreads}; it must be between 1 and {ushort.MaxValue}.");
        }

        SupportVersion = supportVersion;
        EnclaveTypeName = enclaveTypeName;
        Image = image;
        MaxThreads = maxThreads;
        HeapLimitBytes = heapLimitBytes;
        Debug = debug;
        TrustedMethods = trustedMethods;
        UntrustedMethods = untrustedMethods;
        CreateDispatcher = createDispatcher;
        _methods = new Dictionary<uint, BoundaryMethod>();
        foreach (BoundaryMethod method in trustedMethods.Concat(untrustedMethods))
        {
            if (ProtectedFiles.ProtectedFileOcalls.IsRuntimeOcall(method.Id))
            {
                throw new EnclaveException(
                    $"Enclave '{enclaveTypeName}' has a method '{method.Name}' whose ID 0x{method.Id:x8} is one of the runtime's own storage OCALLs (a 1 in 2^32 hash collision). Rename the method.");
            }

            _methods.Add(method.Id, method);
        }

        _privateEcalls = trustedMethods.Where(m => m.IsPrivate).ToDictionary(m => m.Id);
        _asyncOcalls = [.. untrustedMethods.Where(m => m.IsAsync).Select(m => m.Id)];
    }

    /// <summary>The support API version of the generated code.</summary>
    public int SupportVersion { get; }

    /// <summary>Full metadata name of the [Enclave] class.</summary>
    public string EnclaveTypeName { get; }

    /// <summary>The enclave library.</summary>
    public Assembly Image { get; }

    /// <summary>Thread slots.</summary>
    public int MaxThreads { get; }

    /// <summary>Heap limit in bytes, or 0.</summary>
    public long HeapLimitBytes { get; }

    /// <summary>Whether this is a debug enclave (exception messages cross the boundary).</summary>
    public bool Debug { get; }

    /// <summary>The ECALLs.</summary>
    public IReadOnlyList<BoundaryMethod> TrustedMethods { get; }

    /// <summary>The OCALLs.</summary>
    public IReadOnlyList<BoundaryMethod> UntrustedMethods { get; }

    internal Func<ITrustedDispatcher> CreateDispatcher { get; }

    /// <summary>The private ECALL with this ID (one the host may call only during named OCALLs), or null.</summary>
    internal BoundaryMethod? FindPrivateEcall(uint methodId) =>
        _privateEcalls.Count != 0 && _privateEcalls.TryGetValue(methodId, out BoundaryMethod? method) ? method : null;

    /// <summary>Whether this ID is an OCALL the host implements asynchronously.</summary>
    internal bool IsAsyncOcall(uint methodId) => _asyncOcalls.Count != 0 && _asyncOcalls.Contains(methodId);

    internal string MethodName(uint methodId) =>
        _methods.TryGetValue(methodId, out BoundaryMethod? method) ? method.Name : ProtectedFiles.ProtectedFileOcalls.DisplayName(methodId);
}
