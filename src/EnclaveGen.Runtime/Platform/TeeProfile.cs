namespace EnclaveGen;

/// <summary>
/// Which TEE an enclave's platform stands for: what produces its attestation evidence. The
/// programming model, sealing and the enclave's own measurement are the same in every profile
/// (docs/profiles.md says what each protects against and what is emulated).
/// </summary>
public enum TeeProfile
{
    /// <summary><c>sgx-emulated</c>, the default: an SGX-style process enclave on the emulated platform; evidence is an Intel DCAP v3 quote under the emulated root.</summary>
    SgxEmulated = 0,

    /// <summary><c>cvm-emulated</c>: the enclave as a partition of an emulated confidential VM; evidence is an SEV-SNP report under an emulated ARK, binding the enclave's report body.</summary>
    CvmEmulated = 1,

    /// <summary><c>cvm</c>: the enclave as a partition of a real confidential VM (AMD SEV-SNP or Intel TDX guest, Linux 6.7 or later); evidence comes from the kernel's configfs TSM report interface.</summary>
    Cvm = 2,

    /// <summary><c>cvm-emulated-tdx</c>: as <see cref="CvmEmulated"/>, but the emulated VM is an Intel TDX trust domain; evidence is a TDX v4 quote under the platform's emulated root.</summary>
    CvmEmulatedTdx = 3,

    /// <summary><c>trustzone-emulated</c>: the enclave as a trusted application in an emulated Arm TrustZone secure world (open it by UUID with <see cref="TeeContext"/>); evidence is an Arm PSA attestation token signed by the platform's emulated IAK.</summary>
    TrustZoneEmulated = 4,
}

/// <summary>The names of <see cref="TeeProfile"/> values, and how one is chosen.</summary>
public static class TeeProfiles
{
    /// <summary>The environment variable that chooses the profile when <see cref="EnclaveOptions.Profile"/> is not set.</summary>
    public const string EnvironmentVariable = "ENCLAVEGEN_PLATFORM";

    private static readonly (TeeProfile Profile, string Name)[] s_names =
    [
        (TeeProfile.SgxEmulated, "sgx-emulated"),
        (TeeProfile.CvmEmulated, "cvm-emulated"),
        (TeeProfile.Cvm, "cvm"),
        (TeeProfile.CvmEmulatedTdx, "cvm-emulated-tdx"),
        (TeeProfile.TrustZoneEmulated, "trustzone-emulated"),
    ];

    /// <summary>The profile's name, as <see cref="EnvironmentVariable"/> and <c>--platform</c> take it.</summary>
    public static string Name(TeeProfile profile) =>
        s_names.FirstOrDefault(n => n.Profile == profile).Name ?? throw new ArgumentOutOfRangeException(nameof(profile), profile, "Not a TeeProfile.");

    /// <summary>Parses a profile name (case-insensitive).</summary>
    /// <exception cref="ArgumentException">The name is not a profile's; the message lists them.</exception>
    public static TeeProfile Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Find(name) ?? throw new ArgumentException(Unknown(name), nameof(name));
    }

    /// <summary>Parses a profile name (case-insensitive); false when it names none.</summary>
    public static bool TryParse(string? name, out TeeProfile profile)
    {
        TeeProfile? found = name is null ? null : Find(name);
        profile = found ?? default;
        return found is not null;
    }

    /// <summary>The profile an enclave runs under: <paramref name="chosen"/> when set, else <see cref="EnvironmentVariable"/> when set, else <see cref="TeeProfile.SgxEmulated"/>.</summary>
    /// <exception cref="EnclaveException">The environment variable names no profile.</exception>
    public static TeeProfile Resolve(TeeProfile? chosen)
    {
        if (chosen is { } profile)
        {
            return profile;
        }

        string? variable = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (string.IsNullOrWhiteSpace(variable))
        {
            return TeeProfile.SgxEmulated;
        }

        return Find(variable) ?? throw new EnclaveException($"{EnvironmentVariable}: {Unknown(variable)} Unset it for the default.");
    }

    private static TeeProfile? Find(string name)
    {
        foreach ((TeeProfile profile, string known) in s_names)
        {
            if (string.Equals(name.Trim(), known, StringComparison.OrdinalIgnoreCase))
            {
                return profile;
            }
        }

        return null;
    }

    private static string Unknown(string name) =>
        $"'{name}' is not a TEE profile; use one of {string.Join(", ", s_names.Select(n => n.Name))}.";
}
