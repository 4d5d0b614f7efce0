using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using EnclaveGen.Runtime.Boundary;
using EnclaveGen.Runtime.Generated;

namespace EnclaveGen.Runtime.Telemetry;

/// <summary>
/// The runtime's meter and activity source, and what the crossing path calls at its edges. Every
/// call checks whether anyone listens first, so an app without a listener pays a field read per
/// instrument and allocates nothing. Everything here is measured on the host's side of the
/// boundary: what trusted code does between its crossings is never timed, so no measurement
/// tells the host more than it already sees.
/// </summary>
internal static class RuntimeTelemetry
{
    public const string EnclaveTag = "enclavegen.enclave";
    public const string MethodTag = "enclavegen.method";
    public const string DirectionTag = "enclavegen.direction";
    public const string ReasonTag = "enclavegen.reason";

    /// <summary>The OpenTelemetry attribute for the type of the error that ended an operation.</summary>
    public const string ErrorTypeTag = "error.type";

    // Crossings take from a fraction of a microsecond to seconds.
    private static readonly double[] s_durationBuckets = [1e-6, 2e-6, 5e-6, 1e-5, 2e-5, 5e-5, 1e-4, 2.5e-4, 5e-4, 1e-3, 2.5e-3, 5e-3, 1e-2, 2.5e-2, 5e-2, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private static readonly Meter s_meter = new(EnclaveDiagnostics.MeterName, typeof(RuntimeTelemetry).Assembly.GetName().Version?.ToString());

    private static readonly Histogram<double> s_ecallDuration = s_meter.CreateHistogram(
        "enclavegen.ecall.duration", "s", "How long ECALLs take, from taking a thread slot to releasing it (the host's view).",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = s_durationBuckets });

    private static readonly Histogram<double> s_ocallDuration = s_meter.CreateHistogram(
        "enclavegen.ocall.duration", "s", "How long the host takes to serve the enclave's OCALLs.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = s_durationBuckets });

    private static readonly Counter<long> s_boundaryBytes = s_meter.CreateCounter<long>(
        "enclavegen.boundary.bytes", "By", "Sealed bytes that crossed the boundary, as the host's memory holds them.");

    private static readonly Counter<long> s_halts = s_meter.CreateCounter<long>(
        "enclavegen.enclave.halts", "{halt}", "Enclaves that stopped taking calls: an integrity failure, or an isolated enclave's process lost.");

    private static readonly UpDownCounter<long> s_slotsWaiting = s_meter.CreateUpDownCounter<long>(
        "enclavegen.slots.waiting", "{call}", "ECALLs waiting for a free thread slot.");

    private static readonly ActivitySource s_source = new(EnclaveDiagnostics.ActivitySourceName, typeof(RuntimeTelemetry).Assembly.GetName().Version?.ToString());

    private static readonly KeyValuePair<string, object?> s_hostToEnclave = new(DirectionTag, "host_to_enclave");
    private static readonly KeyValuePair<string, object?> s_enclaveToHost = new(DirectionTag, "enclave_to_host");

    /// <summary>The start of an ECALL: a timestamp when its duration is measured (else 0), and its span when someone samples it.</summary>
    public static (long Started, Activity? Activity) StartEcall(EnclaveDescriptor descriptor, uint methodId) =>
        (s_ecallDuration.Enabled ? Stopwatch.GetTimestamp() : 0,
         s_source.HasListeners() ? StartSpan("ECALL", ActivityKind.Client, descriptor, methodId) : null);

    public static void EndEcall(EnclaveDescriptor descriptor, uint methodId, long started, Activity? activity) =>
        End(s_ecallDuration, descriptor, methodId, started, activity);

    public static (long Started, Activity? Activity) StartOcall(EnclaveDescriptor descriptor, uint methodId) =>
        (s_ocallDuration.Enabled ? Stopwatch.GetTimestamp() : 0,
         s_source.HasListeners() ? StartSpan("OCALL", ActivityKind.Server, descriptor, methodId) : null);

    public static void EndOcall(EnclaveDescriptor descriptor, uint methodId, long started, Activity? activity) =>
        End(s_ocallDuration, descriptor, methodId, started, activity);

    /// <summary>
    /// Marks a crossing's span as failed with the exception's type (never its message: a message
    /// from trusted code may say more than the host should export). Returns false, so that it can
    /// run as an exception filter that leaves the exception and its stack as they are.
    /// </summary>
    public static bool Failed(Activity? activity, Exception exception)
    {
        if (activity is not null)
        {
            string type = exception.GetType().FullName ?? exception.GetType().Name;
            activity.SetStatus(ActivityStatusCode.Error, type);
            activity.SetTag(ErrorTypeTag, type);
        }

        return false;
    }

    /// <summary>A sealed message of <paramref name="length"/> bytes crossed in <paramref name="direction"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] // every crossing asks; without a listener it is one check
    public static void Crossed(BoundaryDirection direction, int length)
    {
        if (s_boundaryBytes.Enabled)
        {
            RecordCrossed(direction, length);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void RecordCrossed(BoundaryDirection direction, int length) =>
        s_boundaryBytes.Add(length, direction == BoundaryDirection.HostToEnclave ? s_hostToEnclave : s_enclaveToHost);

    /// <summary>An enclave stopped taking calls; <paramref name="reason"/> is a category: integrity, process_exit, call_timeout.</summary>
    public static void Halted(string enclave, string reason) =>
        s_halts.Add(1, new KeyValuePair<string, object?>(EnclaveTag, enclave), new KeyValuePair<string, object?>(ReasonTag, reason));

    /// <summary>An ECALL starts waiting for a thread slot; true when counted (then <see cref="EndSlotWait"/> uncounts it).</summary>
    public static bool StartSlotWait(string enclave)
    {
        if (!s_slotsWaiting.Enabled)
        {
            return false;
        }

        s_slotsWaiting.Add(1, new KeyValuePair<string, object?>(EnclaveTag, enclave));
        return true;
    }

    public static void EndSlotWait(bool counted, string enclave)
    {
        if (counted)
        {
            s_slotsWaiting.Add(-1, new KeyValuePair<string, object?>(EnclaveTag, enclave));
        }
    }

    private static Activity? StartSpan(string kind, ActivityKind activityKind, EnclaveDescriptor descriptor, uint methodId)
    {
        string method = descriptor.MethodName(methodId);
        Activity? activity = s_source.StartActivity($"{kind} {method}", activityKind);
        activity?.SetTag(EnclaveTag, descriptor.EnclaveTypeName).SetTag(MethodTag, method);
        return activity;
    }

    private static void End(Histogram<double> histogram, EnclaveDescriptor descriptor, uint methodId, long started, Activity? activity)
    {
        if (started != 0)
        {
            histogram.Record(
                Stopwatch.GetElapsedTime(started).TotalSeconds,
                new KeyValuePair<string, object?>(EnclaveTag, descriptor.EnclaveTypeName),
                new KeyValuePair<string, object?>(MethodTag, descriptor.MethodName(methodId)));
        }

        activity?.Dispose();
    }
}
