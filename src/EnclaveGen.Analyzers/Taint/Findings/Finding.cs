using Microsoft.CodeAnalysis;

namespace EnclaveGen.Analyzers.Taint;

/// <summary>What a finding is about: a sink (EG3xxx), a side channel (EG4xxx) or host-controlled data (EG6xxx).</summary>
internal enum FindingKind
{
    Ocall,
    EcallResult,
    StaticState,
    Exception,
    Log,
    Branch,
    Comparison,
    Index,
    Divisor,

    /// <summary>EG6001: a host-controlled value decides a release, an authorization or a sealing policy.</summary>
    HostDecidedCheck,

    /// <summary>EG6002: a host-controlled or caller-supplied number sizes an allocation or a loop.</summary>
    HostSizedResource,

    /// <summary>EG6003: host bytes are used as a key, nonce, IV, salt or seed.</summary>
    HostKeyMaterial,

    /// <summary>EG6004: host bytes are stored in enclave state without authentication.</summary>
    UnauthenticatedState,

    /// <summary>EG6005: a host time decides a branch.</summary>
    HostTime,
}

/// <summary>
/// Tainted data met a sink or a side-channel operation. <see cref="Taint"/> grows while the
/// fixed point runs; the analyzer turns the final value into a diagnostic (or, in a summary,
/// keeps only the parameter labels).
/// </summary>
internal sealed class Finding
{
    public Finding(FindingKind kind, Location location, string sinkName, Taint taint, Location? sinkLocation, string? throughCall)
    {
        Kind = kind;
        Location = location;
        SinkName = sinkName;
        Taint = taint;
        SinkLocation = sinkLocation;
        ThroughCall = throughCall;
    }

    public FindingKind Kind { get; }

    public Location Location { get; }

    /// <summary>The OCALL, ECALL part ("the return value of ..."), static member, log API or operator.</summary>
    public string SinkName { get; }

    public Taint Taint { get; set; }

    /// <summary>Where the sink really is when it was reached inside a called method.</summary>
    public Location? SinkLocation { get; }

    /// <summary>The called method the secret went through to reach the sink, if any.</summary>
    public string? ThroughCall { get; }

    /// <summary>The same finding at other places (an analysis in an earlier compilation's terms, reported in a later one).</summary>
    public Finding At(Location location, Location? sinkLocation) =>
        ReferenceEquals(location, Location) && ReferenceEquals(sinkLocation, SinkLocation)
            ? this
            : new Finding(Kind, location, SinkName, Taint, sinkLocation, ThroughCall);

    public bool IsSideChannel => Kind is >= FindingKind.Branch and <= FindingKind.Divisor;

    public bool IsIntegrity => Kind >= FindingKind.HostDecidedCheck;
}
