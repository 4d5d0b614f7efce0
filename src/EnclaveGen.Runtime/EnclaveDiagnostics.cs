namespace EnclaveGen;

/// <summary>
/// The names under which the runtime reports: a <see cref="System.Diagnostics.Metrics.Meter"/>, an
/// <see cref="System.Diagnostics.ActivitySource"/> and a logger category. Subscribe with
/// OpenTelemetry's <c>AddMeter(EnclaveDiagnostics.MeterName)</c> and
/// <c>AddSource(EnclaveDiagnostics.ActivitySourceName)</c>, or a <c>MeterListener</c>. The
/// instruments and log events are listed in docs/runtime.md, "Logs, metrics and traces".
/// </summary>
public static class EnclaveDiagnostics
{
    /// <summary>The meter: <c>enclavegen.ecall.duration</c>, <c>enclavegen.ocall.duration</c>, <c>enclavegen.boundary.bytes</c>, <c>enclavegen.enclave.halts</c>, <c>enclavegen.slots.waiting</c>.</summary>
    public const string MeterName = "EnclaveGen";

    /// <summary>The activity source: one span per ECALL and one per OCALL the host serves.</summary>
    public const string ActivitySourceName = "EnclaveGen";

    /// <summary>The logger category of the runtime's events (IDs 1001-1099).</summary>
    public const string LoggerCategory = "EnclaveGen.Runtime";
}
