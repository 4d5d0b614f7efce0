namespace EnclaveGen.Analyzers.Apis;

/// <summary>What kind of finding a matching API produces.</summary>
internal enum ApiRuleKind
{
    /// <summary>EG1201: the API does not exist inside an enclave.</summary>
    Unavailable,

    /// <summary>EG1202: the API reads the host-controlled clock.</summary>
    HostTime,

    /// <summary>EG1203: the API is predictable randomness.</summary>
    WeakRandom,

    /// <summary>An entry that removes a match: the API is allowed after all.</summary>
    Allowed,
}

/// <summary>
/// One entry of the API list, in the documentation-ID style of the BannedApiAnalyzers:
/// <c>N:</c> a namespace and everything below it, <c>T:</c> a type and its members and nested
/// types, <c>M:</c>/<c>P:</c>/<c>F:</c>/<c>E:</c> one member (every overload; <c>#ctor</c> for
/// constructors).
/// </summary>
internal sealed class ApiRule
{
    public ApiRule(char scope, string name, string reason, ApiRuleKind kind)
    {
        Scope = scope;
        Name = name;
        Reason = reason;
        Kind = kind;
    }

    /// <summary>'N', 'T' or 'M' (P, F and E are stored as 'M').</summary>
    public char Scope { get; }

    public string Name { get; }

    public string Reason { get; }

    public ApiRuleKind Kind { get; }

    public bool Matches(string namespaceName, string typeName, string memberName) => Scope switch
    {
        'N' => namespaceName == Name || namespaceName.StartsWith(Name + ".", StringComparison.Ordinal),
        'T' => typeName == Name || typeName.StartsWith(Name + ".", StringComparison.Ordinal),
        _ => memberName == Name,
    };
}
