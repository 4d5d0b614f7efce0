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
public sealed class TelemetryTestsIsolated() : TelemetryTests(EnclaveMode.Isolated);
