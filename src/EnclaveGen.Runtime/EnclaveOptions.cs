using Microsoft.Extensions.Logging;

namespace EnclaveGen;

/// <summary>How an enclave is created and how its boundary behaves. The defaults suit most apps.</summary>
public sealed class EnclaveOptions
{
    /// <summary>A new set of options with every default (options are mutable, so each caller gets its own).</summary>
    public static EnclaveOptions Default => new();

    /// <summary>
    /// How long an ECALL waits for a free thread slot before it fails with
    /// <see cref="EnclaveBusyException"/>. Default 30 seconds.
    /// </summary>
    public TimeSpan SlotWaitTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The largest payload one boundary message may carry, in bytes; larger arguments or results
    /// fail with <see cref="EnclaveMarshallingException"/>. Default 16 MiB; at most
    /// <see cref="MaxMessageBytesLimit"/>, which an isolated enclave enforces whatever its host says.
    /// </summary>
    public int MaxMessageBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>The highest <see cref="MaxMessageBytes"/> an enclave accepts: 64 MiB.</summary>
    public const int MaxMessageBytesLimit = 64 * 1024 * 1024;

    /// <summary>
    /// How deep ECALLs may nest inside OCALLs on one thread slot (an ECALL made by the host while
    /// it serves an OCALL counts one level). Default 8.
    /// </summary>
    public int MaxNestingDepth { get; set; } = 8;

    /// <summary>
    /// How deep objects may nest inside one value that crosses (a tree, a linked list, records
    /// within records). Deeper or cyclic graphs fail with <see cref="EnclaveMarshallingException"/>;
    /// the limit also keeps hostile input from recursing a decoder off its stack. Default 64.
    /// </summary>
    public int MaxObjectDepth { get; set; } = 64;

    /// <summary>
    /// The emulated platform the enclave runs on: its root secrets key sealing and attestation.
    /// Default: <see cref="EnclavePlatform.Default"/>, the per-user store (ENCLAVEGEN_HOME or
    /// ~/.enclavegen). Tests use <see cref="EnclavePlatform.CreateInMemory(bool)"/>.
    /// </summary>
    public EnclavePlatform? Platform { get; set; }

    /// <summary>
    /// Which TEE the platform stands for, that is what produces the enclave's remote evidence
    /// (<see cref="EnclaveAttestation.CreateEvidence"/>). Null (the default) reads the
    /// <c>ENCLAVEGEN_PLATFORM</c> environment variable (<c>sgx-emulated</c>, <c>cvm-emulated</c>,
    /// <c>cvm-emulated-tdx</c>, <c>cvm</c>, <c>trustzone-emulated</c>), and without it uses <see cref="TeeProfile.SgxEmulated"/>. An isolated enclave's
    /// process reads the variable it inherits, so in isolated mode set the variable, not this.
    /// </summary>
    public TeeProfile? Profile { get; set; }

    /// <summary>
    /// Where the runtime logs (category <see cref="EnclaveDiagnostics.LoggerCategory"/>, stable
    /// event IDs): loads, measurement and signature checks, DEBUG enclaves, halts, the isolated
    /// enclave's process. Without one, a DEBUG or unsigned enclave says so in one line on standard
    /// error, once per process, and nothing else is written. EnclaveGen.Hosting sets the app's.
    /// </summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>
    /// Where the enclave runs: in the host's process (the default) or in a child process of its
    /// own (<see cref="EnclaveMode.Isolated"/>, Linux only).
    /// </summary>
    public EnclaveMode Mode { get; set; } = EnclaveMode.InProcess;

    /// <summary>
    /// Isolated mode: how long the host waits for the enclave's next message in a crossing (its
    /// result, or its next OCALL) before it gives the enclave up. The enclave's process is then
    /// stopped, because a crossing that never finished leaves it in an unknown state: the call fails
    /// with <see cref="EnclaveLostException"/>, as does every later call. Default
    /// <see cref="Timeout.InfiniteTimeSpan"/> (trusted code may run as long as it likes). In-process
    /// enclaves run on the caller's thread and cannot be interrupted, so they ignore it.
    /// </summary>
    public TimeSpan CallTimeout { get; set; } = Timeout.InfiniteTimeSpan;

    /// <summary>
    /// Isolated mode: how long a side waits for the other by spinning before it sleeps in the
    /// kernel; null for the runtime's adaptive default. Zero makes every wait sleep (for measurements).
    /// </summary>
    internal TimeSpan? IsolatedSpinLimit { get; set; }

    /// <summary>
    /// Where the enclave's protected files (<see cref="EnclaveFiles"/>) keep their encrypted bytes.
    /// Default: a <see cref="Runtime.ProtectedFiles.FolderProtectedFileStorage"/> in
    /// <c>&lt;EnclaveGen home&gt;/files/&lt;enclave class&gt;</c>, made on first use.
    /// </summary>
    public Runtime.ProtectedFiles.IProtectedFileStorage? FileStorage { get; init; }

    /// <summary>Sees every sealed message as the host's memory holds it; see <see cref="BoundaryInterceptor"/>.</summary>
    public BoundaryInterceptor? Interceptor { get; set; }

    /// <summary>
    /// Checks every setting against its range. Loading an enclave does this with a copy of the
    /// options; hosting does it when the host starts.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range; the message names it and the range.</exception>
    public void Validate()
    {
        if (SlotWaitTimeout < TimeSpan.Zero && SlotWaitTimeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(SlotWaitTimeout), SlotWaitTimeout, "SlotWaitTimeout must be zero or positive, or Timeout.InfiniteTimeSpan.");
        }

        if (MaxMessageBytes is < 1024 or > MaxMessageBytesLimit)
        {
            throw new ArgumentOutOfRangeException(
                nameof(MaxMessageBytes), MaxMessageBytes, $"MaxMessageBytes must be between 1024 and {MaxMessageBytesLimit} (EnclaveOptions.MaxMessageBytesLimit, the cap every enclave keeps). Pass larger data in several calls.");
        }

        if (MaxObjectDepth is < 1 or > 10_000)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxObjectDepth), MaxObjectDepth, "MaxObjectDepth must be between 1 and 10000.");
        }

        if (CallTimeout <= TimeSpan.Zero && CallTimeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(CallTimeout), CallTimeout, "CallTimeout must be positive, or Timeout.InfiniteTimeSpan.");
        }

        if (!Enum.IsDefined(Mode))
        {
            throw new ArgumentOutOfRangeException(nameof(Mode), Mode, "Mode must be EnclaveMode.InProcess or EnclaveMode.Isolated.");
        }

        if (Profile is { } profile && !Enum.IsDefined(profile))
        {
            throw new ArgumentOutOfRangeException(nameof(Profile), profile, "Profile must be a TeeProfile value, or null for ENCLAVEGEN_PLATFORM.");
        }

        if (Mode == EnclaveMode.Isolated && Profile is { } chosen && chosen != TeeProfiles.Resolve(null))
        {
            throw new ArgumentOutOfRangeException(nameof(Profile), chosen, $"An isolated enclave's process takes its profile from ENCLAVEGEN_PLATFORM; set that variable to '{TeeProfiles.Name(chosen)}' instead of Profile.");
        }

        if (MaxNestingDepth is < 1 or > 256)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxNestingDepth), MaxNestingDepth, "MaxNestingDepth must be between 1 and 256.");
        }
    }

    /// <summary>A copy taken when an enclave loads, so later changes to these options do not reach a running enclave.</summary>
    internal EnclaveOptions Snapshot() => (EnclaveOptions)MemberwiseClone();
}
