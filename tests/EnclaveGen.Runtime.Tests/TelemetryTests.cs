using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using EnclaveGen.Runtime.Identity;
using EnclaveGen.Runtime.Telemetry;
using EnclaveGen.Runtime.Tests.Enclaves;
using EnclaveGen.Tests;
using Microsoft.Extensions.Logging;

namespace EnclaveGen.Runtime.Tests;

/// <summary>The meter, the activity source and the log events move when crossings happen.</summary>
public abstract class TelemetryTests(EnclaveMode mode)
{
    private const string MeteredName = "EnclaveGen.Runtime.Tests.Enclaves.Metered";

    [Fact]
    public async Task EcallAndOcallDurationsBytesAndNestedSpansAreReported()
    {
        using MeasurementRecorder measurements = new();
        using SpanRecorder spans = new();
        await using Metered.Proxy metered = await Metered.CreateEnclaveAsync(new MeteredHost(), new EnclaveOptions { Mode = mode });

        using Activity outer = new Activity("request").Start();
        Assert.Equal(8, metered.Ping(7));
        outer.Stop();

        RecordedMeasurement ecall = Assert.Single(measurements.For("enclavegen.ecall.duration", MeteredName));
        Assert.Equal("Ping", ecall.Tags[RuntimeTelemetry.MethodTag]);
        Assert.True(ecall.Value > 0);
        RecordedMeasurement ocall = Assert.Single(measurements.For("enclavegen.ocall.duration", MeteredName));
        Assert.Equal("HostEcho", ocall.Tags[RuntimeTelemetry.MethodTag]);
        Assert.True(ocall.Value > 0 && ocall.Value <= ecall.Value);

        // Request and OCALL result in, OCALL request and ECALL result out: four sealed messages,
        // each at least a header and a tag. Other tests' crossings count too, so at least.
        Assert.True(measurements.Sum("enclavegen.boundary.bytes", "host_to_enclave") >= 2 * 32);
        Assert.True(measurements.Sum("enclavegen.boundary.bytes", "enclave_to_host") >= 2 * 32);

        Activity ecallSpan = Assert.Single(spans.Stopped, a => a.DisplayName == "ECALL Ping" && a.ParentSpanId == outer.SpanId);
        Assert.Equal(MeteredName, ecallSpan.GetTagItem(RuntimeTelemetry.EnclaveTag));
        Assert.Equal(ActivityKind.Client, ecallSpan.Kind);
        Activity ocallSpan = Assert.Single(spans.Stopped, a => a.DisplayName == "OCALL HostEcho" && a.TraceId == outer.TraceId);
        Assert.Equal(ecallSpan.SpanId, ocallSpan.ParentSpanId);
    }

    [Fact]
    public async Task FailedEcallsAndOcallsEndTheirSpansWithErrorAndTheExceptionType()
    {
        using SpanRecorder spans = new();
        await using Metered.Proxy metered = await Metered.CreateEnclaveAsync(new MeteredHost(), new EnclaveOptions { Mode = mode });

        using Activity outer = new Activity("request").Start();
        Assert.Equal(3, metered.Ping(2));
        Assert.Throws<TrustedCodeException>(() => metered.Ping(-1));
        Assert.Equal(5, await metered.PingAsync(4));
        await Assert.ThrowsAsync<TrustedCodeException>(() => metered.PingAsync(-1));
        outer.Stop();

        Activity[] ecalls = [.. spans.Stopped.Where(a => a.ParentSpanId == outer.SpanId)];
        Assert.Equal(["ECALL Ping", "ECALL Ping", "ECALL PingAsync", "ECALL PingAsync"], ecalls.Select(a => a.DisplayName));
        Activity[] ocalls = [.. ecalls.Select(ecall => Assert.Single(spans.Stopped, a => a.ParentSpanId == ecall.SpanId))];
        Assert.All(ocalls, ocall => Assert.Equal("OCALL HostEcho", ocall.DisplayName));

        // The calls that succeeded leave the status unset, as OpenTelemetry asks.
        foreach (Activity succeeded in new[] { ecalls[0], ocalls[0], ecalls[2], ocalls[2] })
        {
            Assert.Equal(ActivityStatusCode.Unset, succeeded.Status);
            Assert.Null(succeeded.GetTagItem(RuntimeTelemetry.ErrorTypeTag));
        }

        // The host's exception ends the OCALL's span; trusted code does not catch the
        // UntrustedCodeException it becomes, so the ECALL fails with TrustedCodeException.
        foreach ((Activity span, string type) in new[] { (ocalls[1], "System.InvalidOperationException"), (ecalls[1], "EnclaveGen.TrustedCodeException"), (ocalls[3], "System.InvalidOperationException"), (ecalls[3], "EnclaveGen.TrustedCodeException") })
        {
            Assert.Equal(ActivityStatusCode.Error, span.Status);
            Assert.Equal(type, span.StatusDescription);
            Assert.Equal(type, span.GetTagItem(RuntimeTelemetry.ErrorTypeTag));
        }
    }

    [Fact]
    public async Task AnEcallWhoseResultsFailToReadEndsItsSpanWithErrorAndTheExceptionType()
    {
        using SpanRecorder spans = new();
        await using Metered.Proxy metered = await Metered.CreateEnclaveAsync(new MeteredHost(), new EnclaveOptions { Mode = mode });

        using Activity outer = new Activity("request").Start();
        Assert.Throws<ArgumentOutOfRangeException>(() => metered.UnreadableReading());
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => metered.UnreadableReadingAsync());
        Assert.Equal(3, metered.Ping(2));
        outer.Stop();

        // The crossing itself succeeded both times; the host failed to rebuild the result afterwards.
        Activity[] ecalls = [.. spans.Stopped.Where(a => a.ParentSpanId == outer.SpanId)];
        Assert.Equal(["ECALL UnreadableReading", "ECALL UnreadableReadingAsync", "ECALL Ping"], ecalls.Select(a => a.DisplayName));
        foreach (Activity failed in ecalls[..2])
        {
            Assert.Equal(ActivityStatusCode.Error, failed.Status);
            Assert.Equal("System.ArgumentOutOfRangeException", failed.StatusDescription);
            Assert.Equal("System.ArgumentOutOfRangeException", failed.GetTagItem(RuntimeTelemetry.ErrorTypeTag));
        }

        // The slot was released and the next ECALL's span is clean.
        Assert.Equal(ActivityStatusCode.Unset, ecalls[2].Status);
        Assert.Null(ecalls[2].GetTagItem(RuntimeTelemetry.ErrorTypeTag));
    }

    [Fact]
    public async Task AnEcallThatWaitsForAThreadSlotIsCountedWhileItWaits()
    {
        using MeasurementRecorder measurements = new();
        MeteredHost host = new();
        host.Release.Reset();
        await using Metered.Proxy metered = await Metered.CreateEnclaveAsync(host, new EnclaveOptions { Mode = mode });

        // The test enclaves have two slots (EnclaveMaxThreads in the project): hold both in an OCALL.
        Task<int>[] holders = [Task.Run(() => metered.Ping(MeteredHost.HoldValue)), Task.Run(() => metered.Ping(MeteredHost.HoldValue))];
        SpinWait.SpinUntil(() => host.Held == 2, TimeSpan.FromMinutes(1));
        Assert.Equal(2, host.Held);

        Task<int> waiter = Task.Run(() => metered.Ping(5));
        SpinWait.SpinUntil(() => measurements.For("enclavegen.slots.waiting", MeteredName).Any(), TimeSpan.FromMinutes(1));
        Assert.Equal([1.0], measurements.For("enclavegen.slots.waiting", MeteredName).Select(m => m.Value));
        Assert.False(waiter.IsCompleted);

        host.Release.Set();
        Assert.Equal(6, await waiter);
        Assert.All(await Task.WhenAll(holders), result => Assert.Equal(MeteredHost.HoldValue + 1, result));
        Assert.Equal([1.0, -1.0], measurements.For("enclavegen.slots.waiting", MeteredName).Select(m => m.Value));
    }

    [Fact]
    public async Task HaltIsCountedAndLoggedOnceWithItsReason()
    {
        using MeasurementRecorder measurements = new();
        RecordingLogger log = new();
        DelegateInterceptor tamperer = new(message => message.Direction == BoundaryDirection.HostToEnclave ? [.. message.Bytes[..^1], (byte)(message.Bytes[^1] ^ 1)] : null);
        await using Metered.Proxy metered = await Metered.CreateEnclaveAsync(new MeteredHost(), new EnclaveOptions { Mode = mode, Interceptor = tamperer, LoggerFactory = log });

        EnclaveIntegrityException halt = Assert.Throws<EnclaveIntegrityException>(() => metered.Ping(1));
        Assert.Throws<EnclaveHaltedException>(() => metered.Ping(1));

        RecordedMeasurement counted = Assert.Single(measurements.For("enclavegen.enclave.halts", MeteredName));
        Assert.Equal(1, counted.Value);
        Assert.Equal("integrity", counted.Tags[RuntimeTelemetry.ReasonTag]);
        (string category, EventId id, LogLevel level, string message) = Assert.Single(log.Events, e => e.Id.Id == 1010);
        Assert.Equal(LogLevel.Error, level);
        Assert.Contains(halt.Message, message);
        Assert.Equal(EnclaveState.Halted, metered.Status.State);
    }

    [Fact]
    public async Task LoadLogsTheChecksAndTheIdentityUnderStableIds()
    {
        RecordingLogger log = new();
        await using Metered.Proxy metered = await Metered.CreateEnclaveAsync(new MeteredHost(), new EnclaveOptions { Mode = mode, LoggerFactory = log });

        string mrenclave = metered.Identity.Mrenclave.ToString();
        Assert.Contains(log.Events, e => e.Id.Id == 1002 && e.Id.Name == "EnclaveMeasured" && e.Message.Contains(mrenclave, StringComparison.Ordinal));
        Assert.Contains(log.Events, e => e.Id.Id == 1003 && e.Message.Contains(metered.Identity.Mrsigner.ToString(), StringComparison.Ordinal));
        Assert.Contains(log.Events, e => e.Id.Id == 1001 && e.Level == LogLevel.Information && e.Message.Contains($"({mode})", StringComparison.Ordinal));
        Assert.All(log.Events, e => Assert.Equal(EnclaveDiagnostics.LoggerCategory, e.Category));
        if (mode == EnclaveMode.Isolated)
        {
            Assert.Contains(log.Events, e => e.Id.Id == 1012);
        }
    }
}

/// <summary>The DEBUG warning, with and without a logger: once per enclave per process, one short line.</summary>
public sealed class DebugWarningTests
{
    [Fact]
    public async Task DebugEnclaveIsAnnouncedOncePerProcessThroughTheLogger()
    {
        RecordingLogger log = new();
        await using (WarnedOnce.Proxy first = await WarnedOnce.CreateEnclaveAsync(new EnclaveOptions { LoggerFactory = log }))
        {
            Assert.True(first.Identity.IsDebug);
        }

        await using WarnedOnce.Proxy second = await WarnedOnce.CreateEnclaveAsync(new EnclaveOptions { LoggerFactory = log });

        (string category, EventId id, LogLevel level, string message) = Assert.Single(log.Events, e => e.Id.Id == 1005);
        Assert.Equal(LogLevel.Warning, level);
        Assert.Equal("Enclave EnclaveGen.Runtime.Tests.Enclaves.WarnedOnce is a DEBUG enclave: not for production secrets.", message);
    }

    [Fact]
    public void WithoutALoggerADebugEnclaveGetsOneShortLineOnStandardErrorAndAProductionOneNothing()
    {
        StringWriter error = new();
        string name = "Tests.StderrOnly" + Guid.NewGuid().ToString("N");
        EnclaveIdentity debug = new(name, EnclaveHash.Compute([1]), EnclaveHash.Compute([2]), productId: 0, securityVersion: 0, isDebug: true, isSigned: true, maxThreads: 8, heapLimitBytes: 0);
        EnclaveIdentity production = new(name + ".Production", EnclaveHash.Compute([1]), EnclaveHash.Compute([2]), productId: 0, securityVersion: 0, isDebug: false, isSigned: true, maxThreads: 8, heapLimitBytes: 0);

        RuntimeLog.WarnIfDebug(debug, new EnclaveOptions(), error);
        RuntimeLog.WarnIfDebug(debug, new EnclaveOptions(), error);
        RuntimeLog.WarnIfDebug(production, new EnclaveOptions(), error);

        string line = Assert.Single(error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal($"EnclaveGen: {name} is a DEBUG enclave: not for production secrets.", line.TrimEnd('\r'));
        Assert.True(line.Length - name.Length < 80);
    }
}

/// <summary>Everything the EnclaveGen meter records while it lives, with its tags.</summary>
internal sealed class MeasurementRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<(string Instrument, RecordedMeasurement RecordedMeasurement)> _seen = new();

    public MeasurementRecorder()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == EnclaveDiagnostics.MeterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.Start();
    }

    public IEnumerable<RecordedMeasurement> For(string instrument, string enclave) =>
        _seen.Where(m => m.Instrument == instrument && Equals(m.RecordedMeasurement.Tags.GetValueOrDefault(RuntimeTelemetry.EnclaveTag), enclave)).Select(m => m.RecordedMeasurement);

    public double Sum(string instrument, string direction) =>
        _seen.Where(m => m.Instrument == instrument && Equals(m.RecordedMeasurement.Tags.GetValueOrDefault(RuntimeTelemetry.DirectionTag), direction)).Sum(m => m.RecordedMeasurement.Value);

    public void Dispose() => _listener.Dispose();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        Dictionary<string, object?> copy = [];
        foreach (KeyValuePair<string, object?> tag in tags)
        {
            copy[tag.Key] = tag.Value;
        }

        _seen.Enqueue((instrument.Name, new RecordedMeasurement(value, copy)));
    }
}

internal sealed record RecordedMeasurement(double Value, Dictionary<string, object?> Tags);

/// <summary>Samples every EnclaveGen span and keeps the ones that stopped.</summary>
internal sealed class SpanRecorder : IDisposable
{
    private readonly ActivityListener _listener;

    public SpanRecorder()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == EnclaveDiagnostics.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity => Stopped.Enqueue(activity),
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public ConcurrentQueue<Activity> Stopped { get; } = new();

    public void Dispose() => _listener.Dispose();
}

internal sealed class MeteredHost : Metered.IUntrusted
{
    /// <summary>Held by <see cref="HoldValue"/> calls until set, so a test can keep thread slots busy.</summary>
    public const int HoldValue = 1000;

    public ManualResetEventSlim Release { get; } = new(initialState: true);

    private int _held;

    /// <summary>How many <see cref="HoldValue"/> calls have arrived.</summary>
    public int Held => Volatile.Read(ref _held);

    /// <summary>Echoes; refuses a negative value, so a test can make an OCALL (and the ECALL around it) fail.</summary>
    public int HostEcho(int value)
    {
        if (value == HoldValue)
        {
            Interlocked.Increment(ref _held);
            Release.Wait(TimeSpan.FromMinutes(1));
        }

        return value >= 0 ? value : throw new InvalidOperationException("the host refuses negative values");
    }
}
