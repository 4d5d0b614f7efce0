using EnclaveGen.Runtime.Tests.Enclaves;
using EnclaveGen.Tests;
using Microsoft.Extensions.Logging;

namespace EnclaveGen.Runtime.Tests;

// Every runtime test runs in both modes: each test class takes the mode, and the pairs below are
// what xunit runs. The generated code and the wire format are the same; only the transport differs.

public sealed class AllocationTestsInProcess() : AllocationTests(EnclaveMode.InProcess);

public sealed class AllocationTestsIsolated() : AllocationTests(EnclaveMode.Isolated);

public sealed class AttestationTestsInProcess() : AttestationTests(EnclaveMode.InProcess);

public sealed class AttestationTestsIsolated() : AttestationTests(EnclaveMode.Isolated);

public sealed class DirectionTestsInProcess() : DirectionTests(EnclaveMode.InProcess);

public sealed class DirectionTestsIsolated() : DirectionTests(EnclaveMode.Isolated);

public sealed class IntegrityTestsInProcess() : IntegrityTests(EnclaveMode.InProcess);

public sealed class IntegrityTestsIsolated() : IntegrityTests(EnclaveMode.Isolated);

public sealed class KindsTestsInProcess() : KindsTests(EnclaveMode.InProcess);

public sealed class KindsTestsIsolated() : KindsTests(EnclaveMode.Isolated);

public sealed class OcallTestsInProcess() : OcallTests(EnclaveMode.InProcess);

public sealed class OcallTestsIsolated() : OcallTests(EnclaveMode.Isolated);

public sealed class RoundTripTestsInProcess() : RoundTripTests(EnclaveMode.InProcess);

public sealed class RoundTripTestsIsolated() : RoundTripTests(EnclaveMode.Isolated);

public sealed class SlotTestsInProcess() : SlotTests(EnclaveMode.InProcess);

public sealed class SlotTestsIsolated() : SlotTests(EnclaveMode.Isolated);

public sealed class ConcurrentOcallTestsInProcess() : ConcurrentOcallTests(EnclaveMode.InProcess);

public sealed class ConcurrentOcallTestsIsolated() : ConcurrentOcallTests(EnclaveMode.Isolated);

public sealed class ProtectedFileEnclaveTestsInProcess() : ProtectedFileEnclaveTests(EnclaveMode.InProcess);

public sealed class ProtectedFileEnclaveTestsIsolated() : ProtectedFileEnclaveTests(EnclaveMode.Isolated);

[Collection(nameof(GlobalListeners))]
public sealed class TelemetryTestsInProcess() : TelemetryTests(EnclaveMode.InProcess);

[Collection(nameof(GlobalListeners))]
public sealed class TelemetryTestsIsolated() : TelemetryTests(EnclaveMode.Isolated)
{
    /// <summary>Only an isolated enclave has a process: its start and its exit are logged under their IDs.</summary>
    [Fact]
    public async Task TheEnclaveProcessStartAndExitAreLoggedUnderStableIds()
    {
        RecordingLogger log = new();
        await using (Metered.Proxy metered = await Metered.CreateEnclaveAsync(new MeteredHost(), new EnclaveOptions { Mode = EnclaveMode.Isolated, LoggerFactory = log }))
        {
            Assert.Equal(3, metered.Ping(2));
        }

        (_, EventId started, LogLevel startedLevel, string startedMessage) = Assert.Single(log.Events, e => e.Id.Id == 1012);
        Assert.Equal("EnclaveProcessStarted", started.Name);
        Assert.Equal(LogLevel.Debug, startedLevel);
        Assert.StartsWith("Enclave EnclaveGen.Runtime.Tests.Enclaves.Metered: its process ", startedMessage, StringComparison.Ordinal);
        (_, EventId exited, LogLevel exitedLevel, string exitedMessage) = Assert.Single(log.Events, e => e.Id.Id == 1013);
        Assert.Equal("EnclaveProcessExited", exited.Name);
        Assert.Equal(LogLevel.Debug, exitedLevel);
        Assert.StartsWith("Enclave EnclaveGen.Runtime.Tests.Enclaves.Metered: its process ", exitedMessage, StringComparison.Ordinal);
    }
}
