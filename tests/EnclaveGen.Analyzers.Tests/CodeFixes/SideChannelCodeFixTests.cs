using System.Reflection;
using System.Runtime.Loader;
using EnclaveGen.Analyzers.Taint;
using EnclaveGen.Analyzers.Tests.Infrastructure;
using EnclaveGen.CodeFixes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Emit;
using static EnclaveGen.Analyzers.Tests.Infrastructure.EnclaveTestSetup;

namespace EnclaveGen.Analyzers.Tests.CodeFixes;

/// <summary>
/// EG4001 and EG4003 fixes rewrite to <c>ConstantTime</c>: the fixed code has no finding left, and,
/// compiled and run, computes what the original computed on every input tried.
/// </summary>
public sealed class SideChannelCodeFixTests
{
    private const string SelectSource = """
        using EnclaveGen;

        [Enclave]
        public partial class Vault
        {
            public int Last;

            [Trusted]
            public void Fee([Secret] int balance) => Last = {|#0:balance > 1000 ? 0 : 5|};

            [Trusted]
            public void Tier([Secret] long balance, int low, int high)
            {
                int tier;
                if ({|#1:balance < 0|})
                {
                    tier = low;
                }
                else
                    tier = high * 2 + 1;

                Last = tier;
            }
        }
        """;

    private const string SelectFixed = """
        using EnclaveGen;

        [Enclave]
        public partial class Vault
        {
            public int Last;

            [Trusted]
            public void Fee([Secret] int balance) => Last = ConstantTime.Select(balance > 1000, 0, 5);

            [Trusted]
            public void Tier([Secret] long balance, int low, int high)
            {
                int tier;
                tier = ConstantTime.Select(balance < 0, low, high * 2 + 1);

                Last = tier;
            }
        }
        """;

    private const string LookupSource = """
        using System;
        using EnclaveGen;

        [Enclave]
        public partial class Cipher
        {
            private static readonly byte[] s_sbox = Table();
            public int Last;

            [Trusted]
            public void Sub([Secret] byte key) => Last = s_sbox[{|#0:key|}];

            [Trusted]
            public void Letter([Secret] int position, string alphabet) => Last = alphabet[{|#1:position|}];

            [Trusted]
            public void Wide([Secret] int index)
            {
                ReadOnlySpan<long> table = [10, 20, 30, 40];
                Last = (int)table[{|#2:index & 3|}];
            }

            private static byte[] Table()
            {
                byte[] table = new byte[256];
                for (int i = 0; i < table.Length; i++)
                {
                    table[i] = (byte)((i * 167) ^ 0x5A);
                }

                return table;
            }
        }
        """;

    private const string LookupFixed = """
        using System;
        using EnclaveGen;

        [Enclave]
        public partial class Cipher
        {
            private static readonly byte[] s_sbox = Table();
            public int Last;

            [Trusted]
            public void Sub([Secret] byte key) => Last = ConstantTime.Lookup(s_sbox, key);

            [Trusted]
            public void Letter([Secret] int position, string alphabet) => Last = ConstantTime.Lookup(alphabet.AsSpan(), position);

            [Trusted]
            public void Wide([Secret] int index)
            {
                ReadOnlySpan<long> table = [10, 20, 30, 40];
                Last = (int)ConstantTime.Lookup<long>(table, index & 3);
            }

            private static byte[] Table()
            {
                byte[] table = new byte[256];
                for (int i = 0; i < table.Length; i++)
                {
                    table[i] = (byte)((i * 167) ^ 0x5A);
                }

                return table;
            }
        }
        """;

    [Fact]
    public async Task SelectReplacesAConditionalAndAnIfThatAssignsOneVariable()
    {
        await new EnclaveCodeFixTest<TaintAnalyzer, ConstantTimeSelectCodeFixProvider>(SelectSource, SelectFixed, Diagnostic("EG4001", 0), Diagnostic("EG4001", 1)).RunAsync();
    }

    [Fact]
    public async Task SelectReplacesAnIfThatReturnsEitherValueAndAddsTheUsing()
    {
        string source = """
            using System;

            [EnclaveGen.Enclave]
            public partial class Vault
            {
                [EnclaveGen.Trusted]
                public void Check([EnclaveGen.Secret] int pin) => Console.WriteLine(EnclaveGen.Secrets.Declassify(Score({|#0:pin|}), "the score is public"));

                private static double Score(int pin)
                {
                    if (pin % 2 == 0) return 1.5; else return -0.0;
                }
            }
            """;
        string fixedSource = """
            using System;
            using EnclaveGen;

            [EnclaveGen.Enclave]
            public partial class Vault
            {
                [EnclaveGen.Trusted]
                public void Check([EnclaveGen.Secret] int pin) => Console.WriteLine(EnclaveGen.Secrets.Declassify(Score(pin), "the score is public"));

                private static double Score(int pin)
                {
                    return ConstantTime.Select(pin % 2 == 0, 1.5, -0.0);
                }
            }
            """;
        var test = new EnclaveCodeFixTest<TaintAnalyzer, ConstantTimeSelectCodeFixProvider>(source, fixedSource, Diagnostic("EG4001"));
        test.DisabledDiagnostics.Add("EG4004");
        await test.RunAsync();
    }

    [Theory]
    [InlineData("Compute()")]          // a call: may have effects, may throw
    [InlineData("100 / divisor")]      // may divide by zero
    [InlineData("checked(divisor + 1)")] // may overflow
    [InlineData("_rates[0]")]          // may be out of range
    [InlineData("_other.Value")]       // a field read through a reference that may be null
    public async Task NoSelectIsOfferedWhenTheSkippedArmCouldHaveAnEffect(string arm)
    {
        string source = $$"""
            using EnclaveGen;

            [Enclave]
            public partial class Vault
            {
                private readonly int[] _rates = [1];
                private Holder? _other;
                public int Last;

                [Trusted]
                public void Fee([Secret] int balance, int divisor) => Last = {|#0:balance > 1000 ? {{arm}} : 5|};

                private static int Compute() => 3;
            }

            public sealed class Holder { public int Value; }
            """;
        var test = NoFix<ConstantTimeSelectCodeFixProvider>(source, Diagnostic("EG4001"));
        test.DisabledDiagnostics.Add("EG4004");
        test.DisabledDiagnostics.Add("EG4003");
        await test.RunAsync();
    }

    [Fact]
    public async Task NoSelectIsOfferedForAReferenceTypeOrAnIfWithTwoDifferentTargets()
    {
        string source = """
            using EnclaveGen;

            [Enclave]
            public partial class Vault
            {
                public string Label = "";
                public int A, B;

                [Trusted]
                public void Name([Secret] int balance) => Label = {|#0:balance > 0 ? "rich" : "poor"|};

                [Trusted]
                public void Split([Secret] int balance)
                {
                    if ({|#1:balance > 0|}) A = 1; else B = 1;
                }
            }
            """;
        await NoFix<ConstantTimeSelectCodeFixProvider>(source, Diagnostic("EG4001", 0), Diagnostic("EG4001", 1)).RunAsync();
    }

    [Fact]
    public async Task LookupReplacesReadsOfArraysStringsAndSpans()
    {
        await new EnclaveCodeFixTest<TaintAnalyzer, ConstantTimeLookupCodeFixProvider>(LookupSource, LookupFixed, Diagnostic("EG4003", 0), Diagnostic("EG4003", 1), Diagnostic("EG4003", 2)).RunAsync();
    }

    [Fact]
    public async Task NoLookupIsOfferedForAWriteOrAList()
    {
        string source = """
            using System.Collections.Generic;
            using EnclaveGen;

            [Enclave]
            public partial class Counter
            {
                private readonly int[] _counts = new int[16];
                private readonly List<int> _list = [1, 2, 3];
                public int Last;

                [Trusted]
                public void Count([Secret] int bucket) => _counts[{|#0:bucket & 15|}]++;

                [Trusted]
                public void Read([Secret] int index) => Last = _list[{|#1:index % 3|}];
            }
            """;
        var test = NoFix<ConstantTimeLookupCodeFixProvider>(source, Diagnostic("EG4003", 0), Diagnostic("EG4003", 1));
        test.DisabledDiagnostics.Add("EG4004");
        await test.RunAsync();
    }

    [Fact]
    public void TheFixedSelectsComputeWhatTheBranchesComputed()
    {
        using Loaded original = Loaded.Compile(SelectSource);
        using Loaded rewritten = Loaded.Compile(SelectFixed);
        foreach (int balance in new[] { int.MinValue, -1, 0, 999, 1000, 1001, int.MaxValue })
        {
            Assert.Equal(original.Run("Vault", "Fee", balance), rewritten.Run("Vault", "Fee", balance));
            foreach ((int low, int high) in new[] { (0, 0), (-7, 9), (int.MaxValue, int.MinValue) })
            {
                Assert.Equal(original.Run("Vault", "Tier", (long)balance, low, high), rewritten.Run("Vault", "Tier", (long)balance, low, high));
            }
        }
    }

    [Fact]
    public void TheFixedLookupsReadWhatTheIndexesRead()
    {
        using Loaded original = Loaded.Compile(LookupSource);
        using Loaded rewritten = Loaded.Compile(LookupFixed);
        for (int key = 0; key < 256; key++)
        {
            Assert.Equal(original.Run("Cipher", "Sub", (byte)key), rewritten.Run("Cipher", "Sub", (byte)key));
            Assert.Equal(original.Run("Cipher", "Wide", key), rewritten.Run("Cipher", "Wide", key));
        }

        for (int position = 0; position < 5; position++)
        {
            Assert.Equal(original.Run("Cipher", "Letter", position, "abcde"), rewritten.Run("Cipher", "Letter", position, "abcde"));
        }
    }

    /// <summary>A test that the provider offers nothing: the findings stay as they were.</summary>
    private static EnclaveCodeFixTest<TaintAnalyzer, TCodeFix> NoFix<TCodeFix>(string source, params Microsoft.CodeAnalysis.Testing.DiagnosticResult[] expected)
        where TCodeFix : Microsoft.CodeAnalysis.CodeFixes.CodeFixProvider, new()
    {
        var test = new EnclaveCodeFixTest<TaintAnalyzer, TCodeFix>(source, source, expected);
        test.FixedState.ExpectedDiagnostics.AddRange(expected);
        return test;
    }

    /// <summary>A test source without its markup, compiled and loaded into a collectible context (the enclave attributes are plain attributes here: no generator runs).</summary>
    private sealed class Loaded : IDisposable
    {
        private readonly AssemblyLoadContext _context = new("fixed-code", isCollectible: true);
        private Assembly _assembly = null!;

        public static Loaded Compile(string markedSource)
        {
            string source = System.Text.RegularExpressions.Regex.Replace(markedSource, @"\{\|#\d+:(.*?)\|\}", "$1");
            using MemoryStream image = new();
            EmitResult result = AnalyzerHarness.Compile(("Fixed.cs", source)).Emit(image);
            Assert.True(result.Success, string.Join(Environment.NewLine, result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
            Loaded loaded = new();
            image.Position = 0;
            loaded._assembly = loaded._context.LoadFromStream(image);
            return loaded;
        }

        /// <summary>Calls the method on a fresh instance and returns what it left in <c>Last</c>.</summary>
        public object? Run(string type, string method, params object[] arguments)
        {
            Type declaring = _assembly.GetType(type)!;
            object instance = Activator.CreateInstance(declaring)!;
            declaring.GetMethod(method)!.Invoke(instance, arguments);
            return declaring.GetField("Last")!.GetValue(instance);
        }

        public void Dispose() => _context.Unload();
    }
}
