namespace EnclaveGen.Generators.Emitting;

/// <summary>Fully qualified names of what generated code calls, spelled once.</summary>
internal static class Names
{
    public const string Support = "global::EnclaveGen.Runtime.Generated";
    public const string WireWriter = "global::EnclaveGen.Runtime.Wire.WireWriter";
    public const string WireReader = "global::EnclaveGen.Runtime.Wire.WireReader";
    public const string EcallScope = Support + ".EcallScope";
    public const string OcallScope = Support + ".OcallScope";
    public const string EnclaveCall = Support + ".EnclaveCall";
    public const string EnclaveConnection = Support + ".EnclaveConnection";
    public const string EnclaveDescriptor = Support + ".EnclaveDescriptor";
    public const string EnclaveFactory = Support + ".EnclaveFactory";
    public const string BoundaryMethod = Support + ".BoundaryMethod";
    public const string BoundaryErrors = Support + ".BoundaryErrors";
    public const string EnclaveRegistry = Support + ".EnclaveRegistry";
    public const string BoundaryArrays = Support + ".BoundaryArrays";
    public const string TrustedDispatcherInterface = Support + ".ITrustedDispatcher";
    public const string UntrustedDispatcherInterface = Support + ".IUntrustedDispatcher";
    public const string EnclaveDefinitionAttribute = Support + ".EnclaveDefinition";
    public const string EnclaveOptions = "global::EnclaveGen.EnclaveOptions";
    public const string EnclaveProxyInterface = "global::EnclaveGen.IEnclaveProxy";
    public const string EnclaveStatus = "global::EnclaveGen.EnclaveStatus";
    public const string ProxyBinding = "global::EnclaveGen.Runtime.Supervision.ProxyBinding";
    public const string ServiceProvider = "global::System.IServiceProvider";
    public const string Type = "global::System.Type";
    public const string ArgumentNullException = "global::System.ArgumentNullException";
    public const string Exception = "global::System.Exception";
    public const string ValueTask = "global::System.Threading.Tasks.ValueTask";
    public const string CancellationToken = "global::System.Threading.CancellationToken";
    public const string AsyncDisposable = "global::System.IAsyncDisposable";
    public const string Disposable = "global::System.IDisposable";

    // Members the generator adds to the enclave class (EnclaveInspector reserves the prefix).
    public const string Descriptor = "EnclaveGenDescriptor";
    public const string MethodIds = "EnclaveGenMethodIds";
    public const string TrustedDispatcher = "EnclaveGenTrustedDispatcher";
    public const string UntrustedDispatcher = "EnclaveGenUntrustedDispatcher";
    public const string Manifest = "EnclaveGenManifest";
    public const string Boundary = "EnclaveGenBoundary";
    public const string Register = "EnclaveGenRegister";
    public const string CommandTable = "EnclaveGenCommandTable";
}
