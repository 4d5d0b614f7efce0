using System.Buffers.Binary;
using System.Text;
using EnclaveGen.Runtime.Generated;
using EnclaveGen.Runtime.Supervision;
using EnclaveGen.Runtime.Tests.Enclaves;
using EnclaveGen.Runtime.Wire;
using Xunit.Abstractions;

namespace EnclaveGen.Runtime.Tests.Fuzz;

/// <summary>
/// The host holds the boundary key in-process, so it can send validly sealed garbage. These tests
/// play that host against the in-enclave decoders of the generated Kinds and Zoo stubs (every type
/// kind the boundary carries), straight through their dispatchers with plaintext payloads.
/// Reproduce a run with ENCLAVEGEN_FUZZ_SEED and ENCLAVEGEN_FUZZ_MESSAGES. The campaign runs in a
/// time zone east of UTC, where local date-times near the end of the range overflow.
/// </summary>
[Collection(nameof(LocalTimeZone))]
public sealed class DecoderFuzzTests(ITestOutputHelper output)
{
    private const int DefaultSeed = 20261127;
    private const int DefaultMessages = 200_000;

    /// <summary>Methods left out, and why: their decoders are covered by methods with the same signature.</summary>
    private static readonly HashSet<string> s_excluded =
    [
        "OcallAfterAwait", // one int like EchoInt32; its body waits on Task.Delay for every accepted message
        "XorInPlace", // [UnsafeUserCheck]: the host's array itself crosses by reference (in-process only), no bytes to decode
    ];

    /// <summary>Trusted bodies that throw by design: checked overflow, or an OCALL with no ECALL running (the fuzzer calls the dispatcher directly).</summary>
    private static readonly HashSet<string> s_trustedMayThrow =
    [
        "Sum", "Total", "SumSpan", "OcallKinds", "AddAsync", "WaitAsync", "Count", "Consume",
        "OcallRoundTrip", "AddThroughHost", "Throw", "CatchHostFailure", "Nest", "HoldSlot",
    ];

    /// <summary>Echoes whose results legitimately differ from the arguments: a set drops duplicates; a local date-time's ambiguous-hour flag is recomputed.</summary>
    private static readonly HashSet<string> s_notEchoingPayload = ["EchoSet", "EchoDateTime"];

    private static readonly Dictionary<string, int> s_outElementBytes = new() { ["Fill"] = 1, ["FillArray"] = 4, ["FillMemory"] = 1 };

    [Fact]
    public void HostileMessagesRaiseOnlyMarshallingExceptionsStayWithinTheAllocationBoundAndLeaveStateIntact() =>
        LocalTimeZone.Use("Asia/Tokyo", Fuzz);

    private void Fuzz()
    {
        int seed = FromEnvironment("ENCLAVEGEN_FUZZ_SEED", DefaultSeed);
        int messages = FromEnvironment("ENCLAVEGEN_FUZZ_MESSAGES", DefaultMessages);
        FuzzTarget kinds = KindsTarget(seed);
        FuzzTarget zoo = ZooTarget(seed);

        byte[] expectedStored = EncodeBytes(Encoding.UTF8.GetBytes("state that hostile messages must not touch"));
        int expectedRefills = 0;
        List<string> stateViolations = [];
        FuzzCampaign campaign = null!;
        campaign = new FuzzCampaign(seed, kinds, zoo)
        {
            OnAccepted = (target, method, message) =>
            {
                // Legitimate changes: Store's argument is encoded as Stored's result; Refill adds its amount.
                if (target == zoo && method.Name == "Store")
                {
                    expectedStored = message;
                }
                else if (target == kinds && method.Name == "Refill")
                {
                    expectedRefills = unchecked(expectedRefills + BinaryPrimitives.ReadInt32LittleEndian(message));
                }
            },
            OnRejected = (target, method) =>
            {
                if (target == zoo && method.Name == "Store" && !campaign.Call(zoo, "Stored", []).AsSpan().SequenceEqual(expectedStored))
                {
                    stateViolations.Add($"a rejected Store message changed the stored bytes (after {campaign.Messages} messages)");
                }
            },
        };

        Exception? crashed = null;
        Dictionary<(FuzzTarget, string), byte[]> before = [];
        Thread worker = new(
            () =>
            {
                try
                {
                    // Warm up (JIT, type loading, first-throw costs) before allocations count.
                    FuzzCampaign warmUp = new(seed ^ 0x3A3A, kinds, zoo);
                    warmUp.Run(4_000);

                    campaign.Call(zoo, "Store", expectedStored);
                    expectedRefills = BinaryPrimitives.ReadInt32LittleEndian(campaign.Call(kinds, "Refill", new byte[4]));
                    foreach (FuzzTarget target in new[] { kinds, zoo })
                    {
                        foreach (FuzzMethod method in target.Methods.Where(m => !m.TrustedMayThrow && !m.IsAsync && m.Name is not ("Store" or "Stored" or "Refill")))
                        {
                            before[(target, method.Name)] = campaign.Call(target, method.Name, method.Seeds[0]);
                        }
                    }

                    campaign.Run(messages);
                }
                catch (Exception exception)
                {
                    crashed = exception;
                }
            },
            maxStackSize: 1024 * 1024) { IsBackground = true, Name = "decoder fuzzer" };
        worker.Start();
        while (!worker.Join(TimeSpan.FromMilliseconds(250)))
        {
            if (campaign.Running() is { } running && running.Elapsed > FuzzCampaign.HangLimit)
            {
                Assert.Fail($"seed {seed}: {running.Message} has been running for {running.Elapsed.TotalSeconds:0} s: the decoder hangs.");
            }
        }

        Assert.Null(crashed);

        // The enclave still answers as before, and holds exactly the state legitimate calls gave it.
        foreach (((FuzzTarget target, string name), byte[] answer) in before)
        {
            Assert.True(answer.AsSpan().SequenceEqual(campaign.Call(target, name, target[name].Seeds[0])), $"{name} answers differently after the fuzzing");
        }

        Assert.Equal(Convert.ToHexString(expectedStored), Convert.ToHexString(campaign.Call(zoo, "Stored", [])));
        Assert.Equal(expectedRefills, BinaryPrimitives.ReadInt32LittleEndian(campaign.Call(kinds, "Refill", new byte[4])));

        Report(campaign, seed, kinds, zoo);
        Assert.True(campaign.Violations.Count == 0, string.Join(Environment.NewLine, campaign.Violations));
        Assert.True(stateViolations.Count == 0, string.Join(Environment.NewLine, stateViolations));
        Assert.True(campaign.Messages >= messages, $"only {campaign.Messages} of {messages} messages ran");

        // Not vacuous: every method both accepted messages (trusted code ran) and rejected some.
        foreach (FuzzMethod method in kinds.Methods.Concat(zoo.Methods))
        {
            Assert.True(method.Accepted + method.TrustedThrew > 0 && method.Rejected > 0, $"{method.Name}: {method.Accepted} accepted, {method.TrustedThrew} threw in trusted code, {method.Rejected} rejected");
        }
    }

    [Theory]
    [InlineData("EchoNode", 64, true)]
    [InlineData("EchoNode", 65, false)]
    [InlineData("NodeLength", 10_000, false)]
    public void ANodeChainDeeperThanTheDepthLimitIsRejected(string method, int length, bool accepted)
    {
        FuzzTarget kinds = KindsTarget(DefaultSeed);
        FuzzCampaign campaign = new(DefaultSeed, kinds);

        Outcome outcome = campaign.Send(kinds, kinds[method], HostileStructures.NodeChain(length), $"chain of {length}", 0);

        Assert.Equal(accepted ? Outcome.Accepted : Outcome.Rejected, outcome);
        Assert.Empty(campaign.Violations);
    }

    [Theory]
    [InlineData(64, true)]
    [InlineData(65, false)]
    [InlineData(10_000, false)]
    public void ATreeDeeperThanTheDepthLimitIsRejected(int depth, bool accepted)
    {
        FuzzTarget kinds = KindsTarget(DefaultSeed);
        FuzzCampaign campaign = new(DefaultSeed, kinds);

        Outcome outcome = campaign.Send(kinds, kinds["EchoTree"], HostileStructures.TreeChain(depth), $"tree chain of {depth}", 0);

        Assert.Equal(accepted ? Outcome.Accepted : Outcome.Rejected, outcome);
        Assert.Empty(campaign.Violations);
    }

    /// <summary>
    /// EnclaveOptions.MaxObjectDepth may be raised to 10,000, more levels than a 1 MiB thread stack
    /// holds of the recursive decoders. A hostile tree that deep must be refused, not overflow the
    /// stack (which would end the process).
    /// </summary>
    [Fact]
    public void ATreeTooDeepForTheThreadsStackIsRefusedUnderAHighDepthLimit()
    {
        FuzzTarget kinds = KindsTarget(DefaultSeed);
        byte[] message = HostileStructures.TreeChain(10_000);
        Exception? caught = null;
        bool complete = true;
        Thread thread = new(
            () =>
            {
                WireReader reader = new(FuzzCampaign.MaxPayloadBytes, maxObjectDepth: 10_000);
                reader.Reset(message, message.Length);
                try
                {
                    kinds.Dispatcher.Dispatch(kinds["EchoTree"].Id, reader, new WireWriter(FuzzCampaign.MaxPayloadBytes, 10_000));
                }
                catch (Exception exception)
                {
                    caught = exception;
                }

                complete = reader.IsComplete;
            },
            maxStackSize: 1024 * 1024);
        thread.Start();
        thread.Join();

        Assert.False(complete);
        EnclaveMarshallingException refused = Assert.IsType<EnclaveMarshallingException>(caught);
        Assert.Contains("stack", refused.Message);
    }

    /// <summary>An [Out] span or Memory travels as its length; -1 (the null marker) must be refused like any malformed length.</summary>
    [Theory]
    [InlineData("Fill", "FFFFFFFF07")]
    [InlineData("FillMemory", "FFFFFFFF")]
    [InlineData("FillArray", "FFFFFFFF")]
    [InlineData("Fill", "FEFFFFFF07")]
    public void ANullMarkerForAnOutBufferThatCannotBeNullIsRejected(string method, string payload)
    {
        FuzzTarget kinds = KindsTarget(DefaultSeed);
        FuzzCampaign campaign = new(DefaultSeed, kinds);

        Outcome outcome = campaign.Send(kinds, kinds[method], Convert.FromHexString(payload), "null [Out] length", 0);

        Assert.Equal(Outcome.Rejected, outcome);
        Assert.True(campaign.Violations.Count == 0, string.Join(Environment.NewLine, campaign.Violations));
    }

    /// <summary>
    /// Each level of a recursive type declares as many children as the rest of the message could
    /// hold. Checked level by level against the remaining bytes, every count passes, and the
    /// decoder would size a collection from each: 63 levels of 8 bytes per remaining byte.
    /// </summary>
    [Theory]
    [InlineData(2)]
    [InlineData(16)]
    [InlineData(63)]
    public void NestedCollectionsCannotEachClaimTheRestOfTheMessage(int levels)
    {
        FuzzTarget kinds = KindsTarget(DefaultSeed);
        FuzzCampaign campaign = new(DefaultSeed, kinds);
        byte[] message = HostileStructures.InflatedTree(levels, 256 * 1024);
        campaign.Send(kinds, kinds["EchoTree"], HostileStructures.InflatedTree(levels, 1024), "warm-up", 0);

        Outcome outcome = campaign.Send(kinds, kinds["EchoTree"], message, $"inflated tree of {levels} levels", 1);

        Assert.Equal(Outcome.Rejected, outcome);
        Assert.True(campaign.Violations.Count == 0, string.Join(Environment.NewLine, campaign.Violations));
    }

    private static FuzzTarget KindsTarget(int seed)
    {
        EnclaveDescriptor descriptor = Descriptor("EnclaveGen.Runtime.Tests.Enclaves.Kinds");
        Dictionary<string, List<byte[]>> seeds = SeedCorpus.Capture(descriptor, c => new Kinds.Proxy(new ProxyBinding(c)), SeedCorpus.KindsCalls, rounds: 6, seed);
        return new FuzzTarget(descriptor, seeds, s_excluded, s_trustedMayThrow, s_notEchoingPayload, s_outElementBytes);
    }

    private static FuzzTarget ZooTarget(int seed)
    {
        EnclaveDescriptor descriptor = Descriptor("EnclaveGen.Runtime.Tests.Enclaves.Zoo");
        Dictionary<string, List<byte[]>> seeds = SeedCorpus.Capture(descriptor, c => new Zoo.Proxy(new ProxyBinding(c)), SeedCorpus.ZooCalls, rounds: 6, seed + 1);
        return new FuzzTarget(descriptor, seeds, s_excluded, s_trustedMayThrow, s_notEchoingPayload, s_outElementBytes);
    }

    private static EnclaveDescriptor Descriptor(string name)
    {
        // The generated module initializer registered every enclave of this assembly when it loaded.
        System.Runtime.CompilerServices.RuntimeHelpers.RunModuleConstructor(typeof(Kinds).Module.ModuleHandle);
        return EnclaveRegistry.Find(name) ?? throw new InvalidOperationException($"{name} is not registered");
    }

    private static byte[] EncodeBytes(byte[] value)
    {
        byte[] encoded = new byte[4 + value.Length];
        BinaryPrimitives.WriteInt32LittleEndian(encoded, value.Length);
        value.CopyTo(encoded, 4);
        return encoded;
    }

    private static int FromEnvironment(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), out int value) ? value : fallback;

    private void Report(FuzzCampaign campaign, int seed, params FuzzTarget[] targets)
    {
        List<FuzzMethod> methods = [.. targets.SelectMany(t => t.Methods)];
        output.WriteLine($"seed {seed}: {campaign.Messages} messages to {methods.Count} methods: {methods.Sum(m => m.Accepted)} accepted, {methods.Sum(m => m.Rejected)} rejected, {methods.Sum(m => m.TrustedThrew)} threw in trusted code.");
        output.WriteLine($"allocation budget: {FuzzCampaign.BytesPerByte} x (message + [Out] buffer) + {FuzzCampaign.ConstantBytes} bytes.");
        output.WriteLine($"worst ratio (bytes allocated past the constant, per byte): {campaign.WorstRatio:0.00} at {campaign.WorstRatioAt}.");
        output.WriteLine($"worst ratio among messages of 4 KiB and more (nothing subtracted): {campaign.WorstLargeMessageRatio:0.00} at {campaign.WorstLargeMessageRatioAt}.");
        output.WriteLine($"largest allocation beyond {FuzzCampaign.BytesPerByte} per byte (the constant needed): {campaign.LargestExcess} bytes at {campaign.LargestExcessAt}.");
        output.WriteLine($"largest allocation: {campaign.WorstAllocation} bytes at {campaign.WorstAllocationAt}.");
        output.WriteLine($"slowest message: {campaign.SlowestMessage.TotalMilliseconds:0.0} ms.");
        foreach (FuzzMethod method in methods.OrderByDescending(m => m.WorstRatio).Take(12))
        {
            output.WriteLine($"  {method.Name,-22} ratio {method.WorstRatio,6:0.00}  max {method.WorstAllocation,9} B  accepted {method.Accepted,5}  rejected {method.Rejected,5}  trusted threw {method.TrustedThrew,5}");
        }
    }
}
