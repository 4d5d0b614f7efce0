using System.Collections.Immutable;
using System.Runtime.InteropServices;
using EnclaveGen;

namespace EnclaveGen.Runtime.Tests.Enclaves;

/// <summary>Every kind of value the boundary carries, in both directions, plus the EDL features.</summary>
[Enclave]
public partial class Kinds
{
    // The caller chooses how many OCALLs Count makes: the enclave caps it.
    private const int MaxTicks = 1_000_000;

    private int _refills;

    [Trusted] public decimal EchoDecimal(decimal value) => value;
    [Trusted] public Guid EchoGuid(Guid value) => value;
    [Trusted] public DateTime EchoDateTime(DateTime value) => value;
    [Trusted] public DateTimeOffset EchoDateTimeOffset(DateTimeOffset value) => value;
    [Trusted] public TimeSpan EchoTimeSpan(TimeSpan value) => value;
    [Trusted] public DateOnly EchoDateOnly(DateOnly value) => value;
    [Trusted] public TimeOnly EchoTimeOnly(TimeOnly value) => value;
    [Trusted] public Half EchoHalf(Half value) => value;
    [Trusted] public Int128 EchoInt128(Int128 value) => value;
    [Trusted] public UInt128 EchoUInt128(UInt128 value) => value;
    [Trusted] public int? EchoNullableInt(int? value) => value;
    [Trusted] public Point? EchoNullablePoint(Point? value) => value;
    [Trusted] public int[] EchoInts(int[] value) => value;
    [Trusted] public string?[] EchoStrings(string?[] value) => value;
    [Trusted] public int[][] EchoJagged(int[][] value) => value;
    [Trusted] public Color[] EchoColors(Color[] value) => value;
    [Trusted] public List<string> EchoList(List<string> value) => value;
    [Trusted] public List<double> EchoDoubleList(List<double> value) => value;
    [Trusted] public HashSet<string> EchoSet(HashSet<string> value) => value;
    [Trusted] public Dictionary<string, List<int>> EchoDictionary(Dictionary<string, List<int>> value) => value;
    [Trusted] public int Sum(IReadOnlyList<int> values) => values.Sum();
    [Trusted] public string Join(IEnumerable<string> values) => string.Join(",", values);
    [Trusted] public int Total(IReadOnlyDictionary<string, int> values) => values.Values.Sum();
    [Trusted] public bool Has(IReadOnlySet<int> values, int value) => values.Contains(value);
    [Trusted] public IReadOnlyList<string> Split(string text) => text.Split(',');
    [Trusted] public ImmutableArray<int> EchoImmutableInts(ImmutableArray<int> value) => value;
    [Trusted] public ImmutableArray<string?> EchoImmutableStrings(ImmutableArray<string?> value) => value;
    [Trusted] public ImmutableArray<ImmutableArray<Color>> EchoImmutableNested(ImmutableArray<ImmutableArray<Color>> value) => value;
    [Trusted] public ImmutableArray<Address>? EchoMaybeImmutableAddresses(ImmutableArray<Address>? value) => value;
    [Trusted] public Catalogue EchoCatalogue(Catalogue value) => value;
    [Trusted] public (int Count, string Label) EchoTuple((int Count, string Label) value) => value;
    [Trusted] public Person EchoPerson(Person value) => value;
    [Trusted] public Person? EchoNullablePerson(Person? value) => value;
    [Trusted] public Address EchoAddress(Address value) => value;
    [Trusted] public Money EchoMoney(Money value) => value;
    [Trusted] public Point EchoPoint(Point value) => value;
    [Trusted] public Node EchoNode(Node value) => value;
    [Trusted] public Tree EchoTree(Tree value) => value;
    [Trusted] public Measurement EchoMeasurement(Measurement value) => value;
    [Trusted] public int NodeLength(Node value) => value.Length();

    [Trusted]
    public int SumSpan(ReadOnlySpan<int> values)
    {
        // A loop rather than ToArray().Sum(): the allocation tests call it and count bytes.
        int sum = 0;
        foreach (int value in values)
        {
            sum = checked(sum + value);
        }

        return sum;
    }

    [Trusted] public string JoinSpan(ReadOnlySpan<string> values) => string.Join("+", values.ToArray());
    [Trusted] public void Fill([Out] Span<byte> buffer, byte value) => buffer.Fill(value);
    [Trusted] public void Increment([In, Out] Span<int> values) { for (int i = 0; i < values.Length; i++) { values[i]++; } }
#pragma warning disable EG2003 // Deliberate: shows that writes to an [In] span stay inside.
    [Trusted] public int WriteInIgnored(Span<int> values) { values.Fill(-1); return values.Length; }
#pragma warning restore EG2003
    [Trusted] public void FillArray([Out] int[] values) { for (int i = 0; i < values.Length; i++) { values[i] = i * i; } }
    [Trusted] public void Upper([In, Out] string[] items) { for (int i = 0; i < items.Length; i++) { items[i] = items[i].ToUpperInvariant(); } }
    [Trusted] public int MemoryLength(ReadOnlyMemory<byte> value) => value.Length;
    [Trusted] public ReadOnlyMemory<byte> EchoMemory(ReadOnlyMemory<byte> value) => value;
    [Trusted] public void FillMemory([Out] Memory<byte> value) => value.Span.Fill(7);

    /// <summary>EDL user_check: works on the host's array itself, no copy in or out.</summary>
#pragma warning disable EG2004 // Deliberate: this is the test of the unsafe opt-out.
    [Trusted]
    public int XorInPlace([UnsafeUserCheck] byte[] buffer, byte key)
#pragma warning restore EG2004
    {
        for (int i = 0; i < buffer.Length; i++)
        {
            buffer[i] ^= key;
        }

        return buffer.Length;
    }

    /// <summary>Every composite kind out through OCALLs and back.</summary>
    [Trusted]
    public string OcallKinds()
    {
        Person person = HostPerson(new Person { Name = "in", Age = 1, Home = new Address("s", null), Tags = ["a"] });
        Dictionary<string, int> counts = HostCount(["x", "y", "x"]);
        (int, string) pair = HostPair((1, "one"));
        byte[] filled = new byte[3];
        HostFill(filled);
        Node chain = HostChain(3);
        return $"{person.Name}/{person.Age}/{person.Home!.Street}/{string.Join(",", person.Tags)}|{counts["x"]},{counts["y"]}|{pair.Item1},{pair.Item2}|{Convert.ToHexString(filled)}|{chain.Length()}";
    }

    [Trusted]
    public async Task<int> AddAsync(int a, int b)
    {
        await Task.Yield();
        int hostSum = await HostAddAsync(a, b);
        await Task.Yield();
        return hostSum + HostAdd(a, b);
    }

    [Trusted]
    public async ValueTask<string> EchoAsync(string value)
    {
        await Task.Yield();
        return value;
    }

    [Trusted]
    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            await HostTickAsync();
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    /// <summary>Makes OCALLs until the host cancels the call; the cancellation arrives at the next crossing.</summary>
    [Trusted]
    public int Count(int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, MaxTicks);
        int ticks = 0;
        while (ticks < limit)
        {
            HostTick();
            ticks++;
        }

        return ticks;
    }

    /// <summary>A private ECALL: the host may call it only while NeedMore runs.</summary>
    [Trusted]
    private int Refill(int amount) => _refills += amount;

    /// <summary>Asks the host for more; the host answers by calling the private ECALL Refill.</summary>
    [Trusted] public int Consume(int amount) => NeedMore(amount);

    [Untrusted(Allow = [nameof(Refill)])] private static partial int NeedMore(int amount);
    [Untrusted] private static partial Person HostPerson(Person person);
    [Untrusted] private static partial Dictionary<string, int> HostCount(List<string> words);
    [Untrusted] private static partial (int, string) HostPair((int, string) pair);
    [Untrusted] private static partial void HostFill([Out] byte[] buffer);
    [Untrusted] private static partial Node HostChain(int length);
    [Untrusted] private static partial Task<int> HostAddAsync(int a, int b);
    [Untrusted] private static partial int HostAdd(int a, int b);
    [Untrusted] private static partial void HostTick();
    [Untrusted] private static partial Task HostTickAsync();
}
