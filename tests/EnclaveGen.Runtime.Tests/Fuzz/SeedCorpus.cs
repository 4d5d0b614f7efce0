using System.Collections.Immutable;
using EnclaveGen.Runtime.Generated;
using EnclaveGen.Runtime.Tests.Enclaves;

namespace EnclaveGen.Runtime.Tests.Fuzz;

/// <summary>
/// Valid request payloads for every ECALL of the test enclaves, captured from the generated proxies
/// called with realistic random arguments (seeded, so the corpus is the same on every run).
/// </summary>
internal static class SeedCorpus
{
    /// <summary>Calls every ECALL of <typeparamref name="TProxy"/> <paramref name="rounds"/> times and returns the payloads by method name.</summary>
    public static Dictionary<string, List<byte[]>> Capture<TProxy>(
        EnclaveDescriptor descriptor,
        Func<EnclaveConnection, TProxy> createProxy,
        Action<TProxy, Values>[] calls,
        int rounds,
        int seed)
    {
        (EnclaveConnection connection, PayloadRecorder recorder) = PayloadRecorder.Connect(descriptor);
        TProxy proxy = createProxy(connection);
        Values values = new(new Random(seed));
        for (int round = 0; round < rounds; round++)
        {
            // The last two rounds make large messages, where a per-byte allocation ratio shows past the constant.
            values.Scale = round >= rounds - 2 ? 24 : 1;
            foreach (Action<TProxy, Values> call in calls)
            {
                try
                {
                    call(proxy, values);
                }
                catch (PayloadRecorder.RecordedException)
                {
                }
                catch (AggregateException exception) when (exception.InnerException is PayloadRecorder.RecordedException)
                {
                }
            }
        }

        connection.DisposeAsync().AsTask().GetAwaiter().GetResult();
        Dictionary<string, List<byte[]>> byMethod = [];
        foreach ((uint methodId, byte[] payload) in recorder.Captured)
        {
            string name = descriptor.TrustedMethods.Single(m => m.Id == methodId).Name;
            if (!byMethod.TryGetValue(name, out List<byte[]>? list))
            {
                byMethod[name] = list = [];
            }

            list.Add(payload);
        }

        return byMethod;
    }

    /// <summary>One call per ECALL of <see cref="Kinds"/>.</summary>
    public static Action<Kinds.Proxy, Values>[] KindsCalls { get; } =
    [
        (p, v) => p.EchoDecimal(v.Decimal()),
        (p, v) => p.EchoGuid(v.Guid()),
        (p, v) => p.EchoDateTime(v.DateTime()),
        (p, v) => p.EchoDateTimeOffset(v.DateTimeOffset()),
        (p, v) => p.EchoTimeSpan(new TimeSpan(v.Long())),
        (p, v) => p.EchoDateOnly(DateOnly.FromDayNumber(v.Random.Next(DateOnly.MaxValue.DayNumber + 1))),
        (p, v) => p.EchoTimeOnly(new TimeOnly(v.Random.NextInt64(TimeOnly.MaxValue.Ticks + 1))),
        (p, v) => p.EchoHalf(BitConverter.Int16BitsToHalf((short)v.Random.Next(short.MinValue, short.MaxValue + 1))),
        (p, v) => p.EchoInt128(new Int128((ulong)v.Long(), (ulong)v.Long())),
        (p, v) => p.EchoUInt128(new UInt128((ulong)v.Long(), (ulong)v.Long())),
        (p, v) => p.EchoNullableInt(v.Chance(4) ? null : v.Random.Next()),
        (p, v) => p.EchoNullablePoint(v.Chance(4) ? null : v.Point()),
        (p, v) => p.EchoInts(v.Ints(64)),
        (p, v) => p.EchoStrings(v.Array(12, () => v.Chance(5) ? null : v.String(24))),
        (p, v) => p.EchoJagged(v.Array(8, () => v.Ints(12))),
        (p, v) => p.EchoColors(v.Array(16, () => (Color)v.Random.Next(256))),
        (p, v) => p.EchoList([.. v.Array(12, () => v.String(16))]),
        (p, v) => p.EchoDoubleList([.. v.Array(16, v.Double)]),
        (p, v) => p.EchoSet([.. v.Array(12, () => v.String(8))]),
        (p, v) => p.EchoDictionary(v.Array(8, () => v.String(8)).Distinct().ToDictionary(k => k, _ => v.Ints(6).ToList())),
        (p, v) => p.Sum(v.Ints(32)),
        (p, v) => p.Join(v.Array(10, () => v.String(10))),
        (p, v) => p.Total(v.Array(10, () => v.String(6)).Distinct().ToDictionary(k => k, _ => v.Random.Next(-1000, 1000))),
        (p, v) => p.Has(new HashSet<int>(v.Ints(16)), v.Random.Next(-3, 3)),
        (p, v) => p.Split(v.String(40)),
        (p, v) => p.EchoImmutableInts(v.Chance(4) ? default : [.. v.Ints(64)]),
        (p, v) => p.EchoImmutableStrings(v.Chance(4) ? default : [.. v.Array(12, () => v.Chance(5) ? null : v.String(24))]),
        (p, v) => p.EchoImmutableNested([.. v.Array(6, () => v.Chance(4) ? default : ImmutableArray.Create(v.Array(8, () => (Color)v.Random.Next(256))))]),
        (p, v) => p.EchoMaybeImmutableAddresses(v.Chance(3) ? null : [.. v.Array(5, v.Address)]),
        (p, v) => p.EchoCatalogue(new Catalogue(v.String(10), [.. v.Array(4, v.Address)], [.. v.Array(8, v.Long)], v.Chance(2) ? default : [.. v.Ints(4)])),
        (p, v) => p.EchoTuple((v.Random.Next(), v.String(12))),
        (p, v) => p.EchoPerson(v.Person()),
        (p, v) => p.EchoNullablePerson(v.Chance(4) ? null : v.Person()),
        (p, v) => p.EchoAddress(v.Address()),
        (p, v) => p.EchoMoney(new Money(v.Decimal(), v.String(3))),
        (p, v) => p.EchoPoint(v.Point()),
        (p, v) => p.EchoNode(Node.Chain(v.Random.Next(1, 60))),
        (p, v) => p.EchoTree(v.Tree(4)),
        (p, v) => p.EchoMeasurement(new Measurement(v.String(4), v.Double()) { TakenAt = v.Chance(3) ? null : v.DateTimeOffset() }),
        (p, v) => p.NodeLength(Node.Chain(v.Random.Next(1, 64))),
        (p, v) => p.SumSpan(v.Ints(48)),
        (p, v) => p.JoinSpan(v.Array(8, () => v.String(8))),
        (p, v) => p.Fill(new byte[v.Random.Next(0, 200)], (byte)v.Random.Next(256)),
        (p, v) => p.Increment(v.Ints(24)),
        (p, v) => p.WriteInIgnored(v.Ints(24)),
        (p, v) => p.FillArray(new int[v.Random.Next(0, 100)]),
        (p, v) => p.Upper(v.Array(8, () => v.String(10))),
        (p, v) => p.MemoryLength(v.Bytes(0, 128)),
        (p, v) => p.EchoMemory(v.Bytes(0, 128)),
        (p, v) => p.FillMemory(new byte[v.Random.Next(0, 200)]),
        (p, v) => p.OcallKinds(),
        (p, v) => p.AddAsync(v.Random.Next(), v.Random.Next()).GetAwaiter().GetResult(),
        (p, v) => p.EchoAsync(v.String(20)).AsTask().GetAwaiter().GetResult(),
        (p, v) => p.WaitAsync(CancellationToken.None).GetAwaiter().GetResult(),
        (p, v) => p.Count(v.Random.Next(0, 5), CancellationToken.None),
        (p, v) => p.Refill(v.Random.Next(-100, 100)),
        (p, v) => p.Consume(v.Random.Next(0, 100)),
    ];

    /// <summary>One call per ECALL of <see cref="Zoo"/>.</summary>
    public static Action<Zoo.Proxy, Values>[] ZooCalls { get; } =
    [
        (p, v) => p.EchoBoolean(v.Chance(2)),
        (p, v) => p.EchoByte((byte)v.Random.Next(256)),
        (p, v) => p.EchoSByte((sbyte)v.Random.Next(-128, 128)),
        (p, v) => p.EchoInt16((short)v.Random.Next(short.MinValue, short.MaxValue + 1)),
        (p, v) => p.EchoUInt16((ushort)v.Random.Next(ushort.MaxValue + 1)),
        (p, v) => p.EchoInt32(v.Random.Next(int.MinValue, int.MaxValue)),
        (p, v) => p.EchoUInt32((uint)v.Random.NextInt64(uint.MaxValue + 1L)),
        (p, v) => p.EchoInt64(v.Long()),
        (p, v) => p.EchoUInt64((ulong)v.Long()),
        (p, v) => p.EchoSingle(BitConverter.Int32BitsToSingle(v.Random.Next(int.MinValue, int.MaxValue))),
        (p, v) => p.EchoDouble(v.Double()),
        (p, v) => p.EchoChar((char)v.Random.Next(char.MaxValue + 1)),
        (p, v) => p.EchoColor((Color)v.Random.Next(256)),
        (p, v) => p.EchoWide((Wide)v.Long()),
        (p, v) => p.EchoString(v.String(64)),
        (p, v) => p.EchoNullableString(v.Chance(4) ? null : v.String(64)),
        (p, v) => p.EchoBytes(v.Bytes(0, 128)),
        (p, v) => p.EchoNullableBytes(v.Chance(4) ? null : v.Bytes(0, 128)),
        (p, v) =>
        {
            int counter = v.Random.Next();
            byte[] data = v.Bytes(0, 32);
            p.Directions(ref counter, out _, v.Long(), ref data);
        },
        (p, v) => p.Store(v.Bytes(0, 64)),
        (p, v) => p.Stored(),
        (p, v) => p.OcallRoundTrip(v.String(16), v.Random.Next(), v.Bytes(0, 16)),
        (p, v) => p.AddThroughHost(v.Random.Next(), v.Random.Next()),
        (p, v) => p.Throw(v.String(16)),
        (p, v) => p.CatchHostFailure(),
        (p, v) => p.Nest(v.Random.Next(0, 4)),
        (p, v) => p.HoldSlot(),
    ];

    /// <summary>Random argument values, biased toward the edges (empty, null, surrogates, extremes).</summary>
    internal sealed class Values(Random random)
    {
        public Random Random { get; } = random;

        /// <summary>Multiplies every maximum length and count.</summary>
        public int Scale { get; set; } = 1;

        public bool Chance(int oneIn) => Random.Next(oneIn) == 0;

        public long Long() => Random.Next(4) switch
        {
            0 => long.MinValue + Random.Next(3),
            1 => long.MaxValue - Random.Next(3),
            _ => Random.NextInt64(long.MinValue, long.MaxValue),
        };

        public double Double() => Random.Next(4) switch
        {
            0 => double.NaN,
            1 => -0.0,
            _ => BitConverter.Int64BitsToDouble(Random.NextInt64()),
        };

        public decimal Decimal() => new(Random.Next(), Random.Next(), Random.Next(), Chance(2), (byte)Random.Next(29));

        public DateTime DateTime()
        {
            long ticks = Random.NextInt64(System.DateTime.MaxValue.Ticks + 1);
            // Local times convert through this machine's zone; keep them clear of the range's edges.
            return Random.Next(3) switch
            {
                0 => new DateTime(ticks, DateTimeKind.Utc),
                1 => new DateTime(ticks, DateTimeKind.Unspecified),
                _ => new DateTime(Math.Clamp(ticks, TimeSpan.TicksPerDay, System.DateTime.MaxValue.Ticks - TimeSpan.TicksPerDay), DateTimeKind.Local),
            };
        }

        public DateTimeOffset DateTimeOffset()
        {
            TimeSpan offset = TimeSpan.FromMinutes(Random.Next(-14 * 60, 14 * 60 + 1));
            long ticks = Random.NextInt64(TimeSpan.TicksPerDay, System.DateTime.MaxValue.Ticks - TimeSpan.TicksPerDay);
            return new DateTimeOffset(ticks, offset);
        }

        public string String(int maxLength)
        {
            int length = Random.Next((maxLength * Scale) + 1);
            return string.Create(length, Random, static (chars, random) =>
            {
                for (int i = 0; i < chars.Length; i++)
                {
                    chars[i] = random.Next(8) switch
                    {
                        0 => (char)random.Next(0xD800, 0xE000), // lone surrogates cross too
                        1 => '\0',
                        2 => (char)random.Next(char.MaxValue + 1),
                        _ => (char)random.Next('a', 'z' + 1),
                    };
                }
            });
        }

        public byte[] Bytes(int min, int max)
        {
            byte[] bytes = new byte[Random.Next(min, (max * Scale) + 1)];
            Random.NextBytes(bytes);
            return bytes;
        }

        public int[] Ints(int maxLength) => Array(maxLength, () => Random.Next(4) == 0 ? int.MaxValue - Random.Next(3) : Random.Next(-1000, 1000));

        public T[] Array<T>(int maxLength, Func<T> item)
        {
            T[] items = new T[Random.Next((maxLength * Scale) + 1)];
            for (int i = 0; i < items.Length; i++)
            {
                items[i] = item();
            }

            return items;
        }

        public Guid Guid()
        {
            Span<byte> bytes = stackalloc byte[16];
            Random.NextBytes(bytes);
            return new Guid(bytes);
        }

        public Point Point() => new() { X = Random.Next(int.MinValue, int.MaxValue), Y = Random.Next() };

        public Address Address() => new(String(20), Chance(3) ? null : String(12));

        public Person Person() => new()
        {
            Name = String(16),
            Age = Random.Next(-5, 130),
            Home = Chance(3) ? null : Address(),
            Tags = [.. Array(6, () => String(6))],
        };

        public Tree Tree(int depth) => new()
        {
            Label = String(6),
            Children = depth == 0 ? [] : [.. Enumerable.Range(0, Random.Next(4)).Select(_ => Tree(depth - 1))],
        };
    }
}
