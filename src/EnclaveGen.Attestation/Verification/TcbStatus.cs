namespace EnclaveGen.Attestation.Verification;

/// <summary>
/// The patch level of a platform as Intel's collateral rates it, spelled exactly as Intel spells it
/// (<see cref="object.ToString"/> gives the spelling, for example <c>SWHardeningNeeded</c>).
/// </summary>
public enum TcbStatus
{
    /// <summary>The platform is patched to the latest TCB level.</summary>
    UpToDate,

    /// <summary>Patched, but some vulnerabilities can only be mitigated in the enclave's own software.</summary>
    SWHardeningNeeded,

    /// <summary>Patched, but the platform needs a configuration change (for example in the BIOS) to be safe.</summary>
    ConfigurationNeeded,

    /// <summary>Both <see cref="ConfigurationNeeded"/> and <see cref="SWHardeningNeeded"/>.</summary>
    ConfigurationAndSWHardeningNeeded,

    /// <summary>The platform (or its quoting enclave, or its TDX module) lacks security patches.</summary>
    OutOfDate,

    /// <summary>Both <see cref="OutOfDate"/> and <see cref="ConfigurationNeeded"/>.</summary>
    OutOfDateConfigurationNeeded,

    /// <summary>TDX: the TDX module was updated after this TD launched; relaunching the TD brings it up to date.</summary>
    TDRelaunchAdvised,

    /// <summary>TDX: <see cref="TDRelaunchAdvised"/>, and the platform needs a configuration change.</summary>
    TDRelaunchAdvisedConfigurationNeeded,

    /// <summary>The platform's keys are revoked. Never accepted.</summary>
    Revoked,
}
