using System.Reflection;
using System.Text;
using EnclaveGen.Generators.Marshalling;
using EnclaveGen.Runtime.Wire;
using EnclaveGen.Shared.Marshalling;
using Microsoft.CodeAnalysis;

namespace EnclaveGen.Generators.Tests.Marshalling;

/// <summary>
/// The table of marshalled kinds (<see cref="MarshalKinds"/>) is complete and true: every kind has
/// its entry, the names it recognises are the types of that kind, the wire members it names exist
/// on the runtime's reader and writer, every value kind has a marshaller, and every value kind
/// crosses a generated, compiled and running enclave and comes back equal.
/// </summary>
public sealed class KindTableTests
{
    /// <summary>
    /// One ECALL and one check per value kind. A kind added to the table without a sample here
    /// fails <see cref="EveryValueKindHasARoundTripSample"/>.
    /// </summary>
    private static readonly Dictionary<MarshalKind, (string Ecall, string Check)> s_samples = new()
    {
        [MarshalKind.Boolean] = ("bool Boolean(bool v) => v;", "return p.Boolean(true) && !p.Boolean(false);"),
        [MarshalKind.Byte] = ("byte Byte(byte v) => v;", "return p.Byte(255) == 255;"),
        [MarshalKind.SByte] = ("sbyte SByte(sbyte v) => v;", "return p.SByte(-128) == -128;"),
        [MarshalKind.Int16] = ("short Int16(short v) => v;", "return p.Int16(short.MinValue) == short.MinValue;"),
        [MarshalKind.UInt16] = ("ushort UInt16(ushort v) => v;", "return p.UInt16(ushort.MaxValue) == ushort.MaxValue;"),
        [MarshalKind.Int32] = ("int Int32(int v) => v;", "return p.Int32(int.MinValue) == int.MinValue;"),
        [MarshalKind.UInt32] = ("uint UInt32(uint v) => v;", "return p.UInt32(uint.MaxValue) == uint.MaxValue;"),
        [MarshalKind.Int64] = ("long Int64(long v) => v;", "return p.Int64(long.MinValue) == long.MinValue;"),
        [MarshalKind.UInt64] = ("ulong UInt64(ulong v) => v;", "return p.UInt64(ulong.MaxValue) == ulong.MaxValue;"),
        [MarshalKind.Single] = ("float Single(float v) => v;", "return float.IsNegative(p.Single(-0f)) && p.Single(1.5f) == 1.5f;"),
        [MarshalKind.Double] = ("double Double(double v) => v;", "return p.Double(double.Epsilon) == double.Epsilon;"),
        [MarshalKind.Char] = ("char Char(char v) => v;", "return p.Char('\\uFFFF') == '\\uFFFF';"),
        [MarshalKind.Half] = ("System.Half Half(System.Half v) => v;", "return p.Half(System.Half.MaxValue) == System.Half.MaxValue;"),
        [MarshalKind.Int128] = ("System.Int128 Int128(System.Int128 v) => v;", "return p.Int128(System.Int128.MinValue) == System.Int128.MinValue;"),
        [MarshalKind.UInt128] = ("System.UInt128 UInt128(System.UInt128 v) => v;", "return p.UInt128(System.UInt128.MaxValue) == System.UInt128.MaxValue;"),
        [MarshalKind.Decimal] = ("decimal Decimal(decimal v) => v;", "return decimal.GetBits(p.Decimal(-1.10m)).SequenceEqual(decimal.GetBits(-1.10m));"),
        [MarshalKind.Guid] = ("System.Guid Guid(System.Guid v) => v;", "System.Guid g = System.Guid.NewGuid(); return p.Guid(g) == g;"),
        [MarshalKind.DateTime] = (
            "System.DateTime DateTime(System.DateTime v) => v;",
            "System.DateTime d = new(2026, 1, 2, 3, 4, 5, System.DateTimeKind.Utc); return p.DateTime(d) == d && p.DateTime(d).Kind == System.DateTimeKind.Utc;"),
        [MarshalKind.DateTimeOffset] = (
            "System.DateTimeOffset DateTimeOffset(System.DateTimeOffset v) => v;",
            "System.DateTimeOffset d = new(2026, 1, 2, 3, 4, 5, System.TimeSpan.FromHours(5.5)); return p.DateTimeOffset(d) == d && p.DateTimeOffset(d).Offset == d.Offset;"),
        [MarshalKind.TimeSpan] = ("System.TimeSpan TimeSpan(System.TimeSpan v) => v;", "return p.TimeSpan(System.TimeSpan.MinValue) == System.TimeSpan.MinValue;"),
        [MarshalKind.DateOnly] = ("System.DateOnly DateOnly(System.DateOnly v) => v;", "return p.DateOnly(System.DateOnly.MaxValue) == System.DateOnly.MaxValue;"),
        [MarshalKind.TimeOnly] = ("System.TimeOnly TimeOnly(System.TimeOnly v) => v;", "return p.TimeOnly(System.TimeOnly.MaxValue) == System.TimeOnly.MaxValue;"),
        [MarshalKind.Enum] = ("Shade Enum(Shade v) => v;", "return p.Enum((Shade)200) == (Shade)200 && p.Enum(Shade.Dark) == Shade.Dark;"),
        [MarshalKind.String] = ("string? String(string? v) => v;", "return p.String(\"a\\0\\uD800\") == \"a\\0\\uD800\" && p.String(null) is null;"),
        [MarshalKind.Nullable] = ("int? Nullable(int? v) => v;", "return p.Nullable(null) is null && p.Nullable(3) == 3;"),
        [MarshalKind.Array] = ("string[] Array(string[] v) => v;", "return p.Array([\"x\", \"\"]).SequenceEqual([\"x\", \"\"]);"),
        [MarshalKind.List] = ("List<int> List(List<int> v) => v;", "return p.List([1, 2]).SequenceEqual([1, 2]);"),
        [MarshalKind.HashSet] = ("HashSet<string> HashSet(HashSet<string> v) => v;", "return p.HashSet([\"a\", \"b\"]).SetEquals([\"b\", \"a\"]);"),
        [MarshalKind.Dictionary] = ("Dictionary<int, string> Dictionary(Dictionary<int, string> v) => v;", "return p.Dictionary(new() { [1] = \"one\" })[1] == \"one\";"),
        [MarshalKind.Sequence] = ("IReadOnlyList<long> Sequence(IEnumerable<long> v) => v.Reverse().ToArray();", "return p.Sequence([1L, 2L]).SequenceEqual([2L, 1L]);"),
        [MarshalKind.ReadOnlySet] = ("IReadOnlySet<int> ReadOnlySet(IReadOnlySet<int> v) => v;", "return p.ReadOnlySet(new HashSet<int> { 1, 2 }).SetEquals([2, 1]);"),
        [MarshalKind.ReadOnlyDictionary] = (
            "IReadOnlyDictionary<string, int> ReadOnlyDictionary(IReadOnlyDictionary<string, int> v) => v;",
            "return p.ReadOnlyDictionary(new Dictionary<string, int> { [\"k\"] = 7 })[\"k\"] == 7;"),
        [MarshalKind.ImmutableArray] = (
            "System.Collections.Immutable.ImmutableArray<string> ImmutableArray(System.Collections.Immutable.ImmutableArray<string> v) => v;",
            "return p.ImmutableArray([\"a\", \"b\"]).SequenceEqual([\"a\", \"b\"]) && p.ImmutableArray(default).IsDefault;"),
        [MarshalKind.Span] = (
            "void Span([System.Runtime.InteropServices.In, System.Runtime.InteropServices.Out] System.Span<int> v) => v.Reverse();",
            "int[] a = [1, 2, 3]; p.Span(a); return a.SequenceEqual([3, 2, 1]);"),
        [MarshalKind.ReadOnlySpan] = ("string ReadOnlySpan(System.ReadOnlySpan<string> v) => string.Join(\"|\", v.ToArray());", "return p.ReadOnlySpan([\"x\", \"y\"]) == \"x|y\";"),
        [MarshalKind.Memory] = (
            "void Memory([System.Runtime.InteropServices.Out] System.Memory<byte> v) => v.Span.Fill(9);",
            "byte[] a = new byte[3]; p.Memory(a); return a.All(b => b == 9);"),
        [MarshalKind.ReadOnlyMemory] = ("System.ReadOnlyMemory<char> ReadOnlyMemory(System.ReadOnlyMemory<char> v) => v;", "return p.ReadOnlyMemory(\"abc\".AsMemory()).Span.SequenceEqual(\"abc\");"),
        [MarshalKind.Tuple] = ("(int, string?) Tuple((int, string?) v) => v;", "return p.Tuple((4, null)) == (4, null);"),
        [MarshalKind.Object] = ("Pair Object(Pair v) => v;", "Pair back = p.Object(new Pair(\"n\", [1, 2])); return back.Name == \"n\" && back.Values.SequenceEqual([1, 2]);"),
    };

    [Fact]
    public void EachKindHasItsEntryAtItsOwnIndex()
    {
        foreach (MarshalKind kind in Enum.GetValues<MarshalKind>())
        {
            Assert.Equal(kind, MarshalKinds.Of(kind).Kind);
        }

        Assert.Equal(Enum.GetValues<MarshalKind>().Length, MarshalKinds.All.Count);
    }

    [Fact]
    public void NamedKindsRecogniseTheTypesTheyName()
    {
        Compilation compilation = GeneratorHarness.Compile(string.Empty);
        INamedTypeSymbol argument = compilation.GetSpecialType(SpecialType.System_Int32);
        foreach (KindFacts facts in MarshalKinds.All.Where(facts => facts.MetadataNames.Count > 0))
        {
            foreach (string name in facts.MetadataNames)
            {
                INamedTypeSymbol definition = compilation.GetTypeByMetadataName(name)
                    ?? throw new InvalidOperationException($"{facts.Kind} names '{name}', which the .NET reference assemblies do not have.");
                INamedTypeSymbol type = definition.IsGenericType ? definition.Construct(definition.TypeParameters.Select(_ => (ITypeSymbol)argument).ToArray()) : definition;
                Assert.Equal(facts.Kind, TypeStructure.KindOf(type));
                if (facts.SpecialType != SpecialType.None)
                {
                    Assert.Equal(facts.SpecialType, type.SpecialType);
                }
            }
        }
    }

    [Fact]
    public void WireMembersTheTableNamesExistForTheKindsType()
    {
        foreach (KindFacts facts in MarshalKinds.All.Where(facts => facts.Wire is not null))
        {
            WireMembers wire = facts.Wire!;
            Type clrType = Type.GetType(facts.MetadataNames[0], throwOnError: true)!;
            MethodInfo? write = typeof(WireWriter).GetMethod(wire.Write, [clrType]);
            Assert.True(write is { ReturnType: var returned } && returned == typeof(void), $"WireWriter.{wire.Write}({clrType.Name}) is missing ({facts.Kind})");
            foreach (string? read in new[] { wire.Read, wire.ReadRequired })
            {
                if (read is not null)
                {
                    MethodInfo? reader = typeof(WireReader).GetMethod(read, Type.EmptyTypes);
                    Assert.True(reader?.ReturnType == clrType, $"WireReader.{read}() returning {clrType.Name} is missing ({facts.Kind})");
                }
            }
        }
    }

    [Fact]
    public void ValueKindsHaveAMarshallerAndASizeAndOthersHaveNeither()
    {
        foreach (KindFacts facts in MarshalKinds.All)
        {
            Assert.Equal(facts.IsValue, MarshalContext.For(facts.Marshaller) is not null);
            Assert.Equal(facts.IsValue, facts.Size != SizeRule.NotAValue);
            Assert.True(!facts.IsBulk || facts.Size is SizeRule.Fixed or SizeRule.UnderlyingInteger, $"{facts.Kind} is bulk but has no fixed size");
            Assert.True(facts.Size != SizeRule.Fixed || facts.FixedBytes > 0, $"{facts.Kind} has a fixed size of {facts.FixedBytes} bytes");
            Assert.True(facts.Parts != KindParts.Element || facts.ElementPath is not null, $"{facts.Kind} has elements but no path step for diagnostics");
        }
    }

    [Fact]
    public void FillableKindsHaveBufferMarshallers()
    {
        foreach (KindFacts facts in MarshalKinds.All)
        {
            bool fillable = facts.Fill is BufferFill.Fillable or BufferFill.FillableWithBulkElements;
            Assert.True(!fillable || MarshalContext.For(facts.Marshaller) is IBufferMarshaller, $"{facts.Kind} is fillable but its marshaller has no buffer operations");
        }
    }

    [Fact]
    public void EveryValueKindHasARoundTripSample()
    {
        MarshalKind[] values = MarshalKinds.All.Where(facts => facts.IsValue).Select(facts => facts.Kind).Order().ToArray();
        Assert.Equal(values, s_samples.Keys.Order().ToArray());
    }

    [Fact]
    public async Task EveryValueKindRoundTripsThroughGeneratedCode()
    {
        StringBuilder source = new("""
            using System;
            using System.Collections.Generic;
            using System.Linq;
            using EnclaveGen;

            namespace Table;

            public enum Shade : byte { Light, Dark }

            public sealed record Pair(string Name, int[] Values);

            [Enclave]
            public partial class Every
            {

            """);
        foreach ((MarshalKind kind, (string ecall, _)) in s_samples)
        {
            source.AppendLine($"    [Trusted] public {ecall}");
        }

        source.AppendLine("""
            }

            public sealed class Host : Every.IUntrusted;

            public static class Entry
            {
                public static async System.Threading.Tasks.Task<string> RunAsync()
                {
                    await using Every.Proxy p = await Every.CreateEnclaveAsync(new Host(), new EnclaveOptions { Platform = EnclavePlatform.CreateInMemory(allowUnsignedImages: true) });
                    List<string> failed = new();
            """);
        foreach (MarshalKind kind in s_samples.Keys)
        {
            source.AppendLine($"        if (!Check{kind}(p)) failed.Add(\"{kind}\");");
        }

        source.AppendLine("""
                    return string.Join(",", failed);
                }
            """);
        foreach ((MarshalKind kind, (_, string check)) in s_samples)
        {
            source.AppendLine($"    private static bool Check{kind}(Every.Proxy p) {{ {check} }}");
        }

        source.AppendLine("}");

        (Compilation output, _) = GeneratorHarness.Generate(GeneratorHarness.Compile(source.ToString()));
        Diagnostic[] problems = output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToArray();
        Assert.True(problems.Length == 0, string.Join(Environment.NewLine, problems.Select(d => d.ToString())));

        Assembly assembly = GeneratorHarness.Load(output);
        MethodInfo run = assembly.GetType("Table.Entry")!.GetMethod("RunAsync")!;
        Assert.Equal(string.Empty, await (Task<string>)run.Invoke(null, null)!);
    }

    [Theory]
    [InlineData("public void M(ref System.Span<byte> s) { }", "EG2001", "a span passed by ref or out")]
    [InlineData("public void M(out System.ReadOnlySpan<int> s) { s = default; }", "EG2001", "a span passed by ref or out")]
    [InlineData("public System.Span<byte> M() => default;", "EG2001", "a span cannot outlive the call")]
    [InlineData("public void M(System.Collections.Generic.List<System.Memory<int>> m) { }", "EG2001", "Memory<T> may be a parameter or a return value")]
    [InlineData("public void M([System.Runtime.InteropServices.Out] System.ReadOnlyMemory<int> a) { }", "EG2002", "is immutable")]
    [InlineData("public void M([System.Runtime.InteropServices.Out] System.Collections.Immutable.ImmutableArray<int> a) { }", "EG2002", "is immutable")]
    [InlineData("public void M([System.Runtime.InteropServices.Out] System.Span<string> s) { }", "EG2002", "must hold fixed-size primitives")]
    [InlineData("public void M([System.Runtime.InteropServices.Out] System.Collections.Generic.List<int> l) { }", "EG2002", "[Out] applies to arrays")]
    [InlineData("public (int, int, int, int, int, int, int, int) M() => default;", "EG2001", "tuples of more than 7")]
    [InlineData("public void M(int[][,] a) { }", "EG2001", "multi-dimensional")]
    [InlineData("public void M(System.Threading.Tasks.Task t) { }", "EG2001", "a task is not data")]
    public void RefusalsInTheTableReachTheDiagnostic(string ecall, string id, string reason)
    {
        string source = $$"""
            using EnclaveGen;
            namespace Refused;
            [Enclave]
            public partial class Refuses
            {
                [Trusted] {{ecall}}
            }
            """;
        Diagnostic[] errors = GeneratorHarness.Analyze(GeneratorHarness.Compile(source)).Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();
        Diagnostic error = Assert.Single(errors);
        Assert.Equal(id, error.Id);
        Assert.Contains(reason, error.GetMessage());
    }
}
