using System.Collections.Immutable;
using EnclaveGen.Runtime.Tests.Enclaves;

namespace EnclaveGen.Runtime.Tests;

/// <summary>Every kind of value crosses and comes back exactly, and directions behave as in P/Invoke.</summary>
public abstract class KindsTests(EnclaveMode mode) : IAsyncLifetime
{
    private readonly KindsHost _host = new();
    private Kinds.Proxy _kinds = null!;

    public async Task InitializeAsync()
    {
        _kinds = await Kinds.CreateEnclaveAsync(_host, new EnclaveOptions { Mode = mode });
        _host.Proxy = _kinds;
    }

    public async Task DisposeAsync() => await _kinds.DisposeAsync();

    [Fact]
    public void DecimalsKeepScaleAndSign()
    {
        foreach (decimal value in new[] { decimal.MinValue, decimal.MaxValue, 0m, -0.0000m, 1.10m, 79228162514264337593543950335m / 3 })
        {
            decimal echoed = _kinds.EchoDecimal(value);
            Assert.Equal(decimal.GetBits(value), decimal.GetBits(echoed));
        }
    }

    [Fact]
    public void GuidsAndDatesRoundTrip()
    {
        Guid guid = Guid.NewGuid();
        Assert.Equal(guid, _kinds.EchoGuid(guid));
        foreach (DateTime value in new[] { DateTime.MinValue, DateTime.MaxValue, new DateTime(2026, 11, 27, 1, 2, 3, DateTimeKind.Utc), new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Unspecified) })
        {
            DateTime echoed = _kinds.EchoDateTime(value);
            Assert.Equal(value, echoed);
            Assert.Equal(value.Kind, echoed.Kind);
        }

        DateTime local = new(2026, 6, 1, 12, 0, 0, DateTimeKind.Local);
        Assert.Equal(local, _kinds.EchoDateTime(local));
        Assert.Equal(DateTimeKind.Local, _kinds.EchoDateTime(local).Kind);

        DateTimeOffset offset = new(2026, 11, 27, 8, 30, 0, TimeSpan.FromHours(-5.5));
        Assert.Equal(offset, _kinds.EchoDateTimeOffset(offset));
        Assert.Equal(offset.Offset, _kinds.EchoDateTimeOffset(offset).Offset);
        Assert.Equal(DateTimeOffset.MaxValue, _kinds.EchoDateTimeOffset(DateTimeOffset.MaxValue));
        Assert.Equal(TimeSpan.MinValue, _kinds.EchoTimeSpan(TimeSpan.MinValue));
        Assert.Equal(DateOnly.MaxValue, _kinds.EchoDateOnly(DateOnly.MaxValue));
        Assert.Equal(TimeOnly.MaxValue, _kinds.EchoTimeOnly(TimeOnly.MaxValue));
    }

    [Fact]
    public void WidePrimitivesRoundTrip()
    {
        Assert.Equal(BitConverter.HalfToInt16Bits(Half.NaN), BitConverter.HalfToInt16Bits(_kinds.EchoHalf(Half.NaN)));
        Assert.Equal(Half.MaxValue, _kinds.EchoHalf(Half.MaxValue));
        Assert.Equal(Int128.MinValue, _kinds.EchoInt128(Int128.MinValue));
        Assert.Equal(UInt128.MaxValue, _kinds.EchoUInt128(UInt128.MaxValue));
    }

    [Fact]
    public void NullableValueTypesCarryNullAndValues()
    {
        Assert.Null(_kinds.EchoNullableInt(null));
        Assert.Equal(int.MinValue, _kinds.EchoNullableInt(int.MinValue));
        Assert.Null(_kinds.EchoNullablePoint(null));
        Assert.Equal(3, _kinds.EchoNullablePoint(new Point { X = 3, Y = 4 })!.Value.X);
    }

    [Fact]
    public void ArraysOfEveryElementKindRoundTrip()
    {
        Assert.Equal(new[] { int.MinValue, 0, int.MaxValue }, _kinds.EchoInts([int.MinValue, 0, int.MaxValue]));
        Assert.Empty(_kinds.EchoInts([]));
        Assert.Equal(new[] { "a", null, "\uD800" }, _kinds.EchoStrings(["a", null, "\uD800"]));
        int[][] jagged = [[1], [], [2, 3]];
        Assert.Equal(jagged, _kinds.EchoJagged(jagged));
        Assert.Equal(new[] { Color.Green, (Color)200 }, _kinds.EchoColors([Color.Green, (Color)200]));
    }

    [Fact]
    public void CollectionsRoundTrip()
    {
        Assert.Equal(["x", "", "y"], _kinds.EchoList(["x", "", "y"]));
        Assert.Equal([1.5, double.NaN], _kinds.EchoDoubleList([1.5, double.NaN]));
        Assert.Equal(new HashSet<string> { "a", "b" }, _kinds.EchoSet(["a", "b"]));
        Dictionary<string, List<int>> dictionary = new() { ["one"] = [1], ["none"] = [] };
        Dictionary<string, List<int>> echoed = _kinds.EchoDictionary(dictionary);
        Assert.Equal(dictionary.Keys.Order(), echoed.Keys.Order());
        Assert.Equal([1], echoed["one"]);
        Assert.Empty(echoed["none"]);
    }

    [Fact]
    public void ImmutableArraysRoundTripWithDefaultKeptApartFromEmpty()
    {
        Assert.Equal<int>([int.MinValue, 0, int.MaxValue], _kinds.EchoImmutableInts([int.MinValue, 0, int.MaxValue]));
        Assert.True(_kinds.EchoImmutableInts(default).IsDefault);
        ImmutableArray<int> empty = _kinds.EchoImmutableInts([]);
        Assert.False(empty.IsDefault);
        Assert.Empty(empty);

        Assert.Equal<string?>(["a", null, "\uD800"], _kinds.EchoImmutableStrings(["a", null, "\uD800"]));
        Assert.True(_kinds.EchoImmutableStrings(default).IsDefault);

        ImmutableArray<ImmutableArray<Color>> nested = [[Color.Green], default, [], [(Color)200, Color.Green]];
        ImmutableArray<ImmutableArray<Color>> back = _kinds.EchoImmutableNested(nested);
        Assert.Equal(4, back.Length);
        Assert.Equal<Color>([Color.Green], back[0]);
        Assert.True(back[1].IsDefault);
        Assert.False(back[2].IsDefault);
        Assert.Empty(back[2]);
        Assert.Equal<Color>([(Color)200, Color.Green], back[3]);

        Assert.Null(_kinds.EchoMaybeImmutableAddresses(null));
        Assert.Equal<Address>([new Address("s", null)], _kinds.EchoMaybeImmutableAddresses([new Address("s", null)])!.Value);

        Catalogue catalogue = new("c", [new Address("a", "b"), new Address("c", null)], [long.MinValue, 3], default);
        Catalogue echoed = _kinds.EchoCatalogue(catalogue);
        Assert.Equal(catalogue.Name, echoed.Name);
        Assert.Equal<Address>(catalogue.Addresses, echoed.Addresses);
        Assert.Equal<long>(catalogue.Codes, echoed.Codes);
        Assert.True(echoed.Unset.IsDefault);
    }

    [Fact]
    public void ReadOnlyCollectionInterfacesCrossAsParametersAndResults()
    {
        Assert.Equal(6, _kinds.Sum([1, 2, 3]));
        Assert.Equal("a,b", _kinds.Join(Enumerable.Range(0, 2).Select(i => ((char)('a' + i)).ToString())));
        Assert.Equal(3, _kinds.Total(new Dictionary<string, int> { ["a"] = 1, ["b"] = 2 }));
        Assert.True(_kinds.Has(new HashSet<int> { 4, 5 }, 5));
        Assert.Equal(["x", "y"], _kinds.Split("x,y"));
    }

    [Fact]
    public void TuplesAndRecordsRoundTripDeeply()
    {
        Assert.Equal((7, "seven"), _kinds.EchoTuple((7, "seven")));

        Person person = new() { Name = "Ada", Age = 36, Home = new Address("1 Loop", null), Tags = ["math", "engines"] };
        Person echoed = _kinds.EchoPerson(person);
        Assert.Equal(person.Name, echoed.Name);
        Assert.Equal(person.Age, echoed.Age);
        Assert.Equal(person.Home, echoed.Home);
        Assert.Equal(person.Tags, echoed.Tags);
        Assert.NotSame(person.Tags, echoed.Tags);
        Assert.Null(_kinds.EchoNullablePerson(null));
        Assert.Equal(new Address("s", "c"), _kinds.EchoAddress(new Address("s", "c")));
        Assert.Equal(new Money(12.50m, "EUR"), _kinds.EchoMoney(new Money(12.50m, "EUR")));
        Assert.Equal(9, _kinds.EchoPoint(new Point { X = 9, Y = -9 }).X);

        Measurement measurement = new("kg", 2.5) { TakenAt = DateTimeOffset.UnixEpoch };
        Measurement back = _kinds.EchoMeasurement(measurement);
        Assert.Equal(("kg", 2.5, DateTimeOffset.UnixEpoch), (back.Unit, back.Value, back.TakenAt));
    }

    [Fact]
    public void RecursiveTypesCrossUpToTheDepthLimit()
    {
        Assert.Equal(50, _kinds.NodeLength(Node.Chain(50)));
        Assert.Equal(50, _kinds.EchoNode(Node.Chain(50)).Length());

        Tree tree = new() { Label = "root", Children = [new Tree { Label = "a" }, new Tree { Label = "b", Children = [new Tree { Label = "c" }] }] };
        Tree echoed = _kinds.EchoTree(tree);
        Assert.Equal("c", echoed.Children[1].Children[0].Label);

        EnclaveMarshallingException tooDeep = Assert.Throws<EnclaveMarshallingException>(() => _kinds.NodeLength(Node.Chain(500)));
        Assert.Contains("MaxObjectDepth", tooDeep.Message);
        Assert.Equal(3, _kinds.NodeLength(Node.Chain(3)));
    }

    [Fact]
    public void CyclicGraphIsRefusedBeforeItCrosses()
    {
        Node cycle = new() { Value = 1 };
        cycle.Next = cycle;

        EnclaveMarshallingException exception = Assert.Throws<EnclaveMarshallingException>(() => _kinds.NodeLength(cycle));
        Assert.Contains("cyclic or too deep", exception.Message);
        Assert.Equal(1, _kinds.NodeLength(new Node()));
    }

    [Fact]
    public void SpansCrossInAndBackAsDirectionsSay()
    {
        Assert.Equal(10, _kinds.SumSpan([1, 2, 3, 4]));
        Assert.Equal("a+b", _kinds.JoinSpan(["a", "b"]));

        Span<byte> buffer = stackalloc byte[5];
        _kinds.Fill(buffer, 9);
        Assert.Equal(new byte[] { 9, 9, 9, 9, 9 }, buffer.ToArray());

        int[] values = [1, 2, 3];
        _kinds.Increment(values);
        Assert.Equal(new[] { 2, 3, 4 }, values);

        int[] untouched = [5, 5];
        Assert.Equal(2, _kinds.WriteInIgnored(untouched));
        Assert.Equal(new[] { 5, 5 }, untouched);
    }

    [Fact]
    public void OutAndInOutArraysAreWrittenBack()
    {
        int[] squares = new int[4];
        _kinds.FillArray(squares);
        Assert.Equal(new[] { 0, 1, 4, 9 }, squares);

        string[] words = ["a", "Bc"];
        _kinds.Upper(words);
        Assert.Equal(new[] { "A", "BC" }, words);
    }

    [Fact]
    public void MemoryCrossesAsAnOwnedCopy()
    {
        byte[] bytes = [1, 2, 3];
        Assert.Equal(2, _kinds.MemoryLength(bytes.AsMemory(1)));
        ReadOnlyMemory<byte> echoed = _kinds.EchoMemory(bytes);
        bytes[0] = 99;
        Assert.Equal(new byte[] { 1, 2, 3 }, echoed.ToArray());

        byte[] target = new byte[4];
        _kinds.FillMemory(target.AsMemory(1, 2));
        Assert.Equal(new byte[] { 0, 7, 7, 0 }, target);
    }

    [Fact]
    public void CompositeKindsCrossThroughOcallsBothWays()
    {
        Assert.Equal("in-host/2/s/a|2,1|2,one!|ABABAB|3", _kinds.OcallKinds());
    }

    [Fact]
    public async Task AsyncEcallsAwaitAsyncOcallsInsideTheEnclave()
    {
        Assert.Equal(14, await _kinds.AddAsync(3, 4));
        Assert.Equal("async", await _kinds.EchoAsync("async"));

        int[] results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => _kinds.AddAsync(i, 1)));
        Assert.Equal(Enumerable.Range(0, 20).Select(i => 2 * (i + 1)), results);
    }

    [Fact]
    public async Task CancellingAnAsyncEcallStopsItAtTheNextCrossing()
    {
        using CancellationTokenSource cancellation = new();
        _host.CancelAfterTicks = cancellation;
        _host.CancelAtTick = 3;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _kinds.WaitAsync(cancellation.Token));
        Assert.Equal(3, _host.Ticks);
        Assert.Equal(2, await _kinds.AddAsync(0, 1));
    }

    [Fact]
    public void CancellingASyncEcallStopsItAtTheNextOcall()
    {
        using CancellationTokenSource cancellation = new();
        _host.CancelAfterTicks = cancellation;
        _host.CancelAtTick = 5;

        OperationCanceledException exception = Assert.ThrowsAny<OperationCanceledException>(() => _kinds.Count(1_000, cancellation.Token));
        Assert.Equal(cancellation.Token, exception.CancellationToken);
        Assert.Equal(5, _host.Ticks);
        Assert.Throws<OperationCanceledException>(() => _kinds.Count(1, cancellation.Token));
        Assert.Equal(3, _kinds.Count(3, CancellationToken.None));
    }

    [Fact]
    public void UserCheckPassesTheCallersArrayItselfWithoutCopying()
    {
        if (mode == EnclaveMode.Isolated)
        {
            // Another process cannot share the host's array; the call says so.
#pragma warning disable EG2004 // Deliberate: this is the test of the unsafe opt-out.
            EnclaveMarshallingException refused = Assert.Throws<EnclaveMarshallingException>(() => _kinds.XorInPlace([1], 1));
#pragma warning restore EG2004
            Assert.Contains("in-process", refused.Message);
            return;
        }

        byte[] buffer = [1, 2, 3];
#pragma warning disable EG2004 // Deliberate: this is the test of the unsafe opt-out.
        Assert.Equal(3, _kinds.XorInPlace(buffer, 0xFF));
#pragma warning restore EG2004

        // No [Out], no copy back: the enclave wrote into the host's array itself.
        Assert.Equal(new byte[] { 0xFE, 0xFD, 0xFC }, buffer);
    }

    [Fact]
    public void PrivateEcallIsAcceptedOnlyDuringTheOcallThatAllowsIt()
    {
        Assert.Equal(5, _kinds.Consume(5));
        Assert.Equal(8, _kinds.Consume(3));

        EnclaveCallDeniedException denied = Assert.Throws<EnclaveCallDeniedException>(() => _kinds.Refill(100));
        Assert.Contains("private", denied.Message);
        Assert.Contains("NeedMore", denied.Message);
        Assert.Equal(9, _kinds.Consume(1));
    }
}
