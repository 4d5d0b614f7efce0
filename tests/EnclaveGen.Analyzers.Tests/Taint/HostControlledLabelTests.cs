using EnclaveGen.Analyzers.Taint;
using EnclaveGen.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Labels = EnclaveGen.Analyzers.Taint.Taint;

namespace EnclaveGen.Analyzers.Tests.Taint;

/// <summary>
/// The leak analysis's second label, host-controlled: what an OCALL hands back (its result, its
/// out and ref arguments) is chosen by the untrusted host. The integrity rules (EG6xxx) report
/// where it decides, sizes, keys or becomes state; these tests watch the labels themselves, which the engine gives each argument of
/// <c>Probe.Observe(...)</c> through <see cref="TaintContext.ArgumentObserver"/>: the label must
/// follow the value through assignments, calls, fields (across ECALLs), objects and collections,
/// and must not appear on what the ECALL's own caller passed in, on constants, or on secrets.
/// </summary>
public sealed class HostControlledLabelTests
{
    // Every ECALL names the [Secret] field: the syntactic pre-filter (SecretRelevance) analyses
    // only bodies a secret can reach, and these tests are about the host label inside them.
    private const string Source = """
        using System.Collections.Generic;
        using System.Linq;
        using System.Text;
        using EnclaveGen;

        internal static class Probe
        {
            public static void Observe(object? value) { }
        }

        internal sealed class Holder
        {
            public string Text = "";
            public int Number;
        }

        [Enclave]
        public partial class Vault
        {
            [Secret] private readonly byte[] _key = new byte[32];
            private string _lastName = "";
            private readonly List<string> _names = new();
            private readonly Dictionary<string, int> _limits = new();

            [Untrusted] private static partial int ReadCount();
            [Untrusted] private static partial string ReadName();
            [Untrusted] private static partial void ReadInto(out int value);
            [Untrusted] private static partial void Swap(ref string text);

            private static int Twice(int value) => value * 2;
            private static string Bracket(string text) => "[" + text + "]";
            private static void Fill(Holder holder, string text, int number) { holder.Text = text; holder.Number = number; }

            [Trusted]
            public int Assignments(int callerCount, string callerName, [Secret] string password)
            {
                _ = _key;
                int count = ReadCount();
                int copied = count;
                int sum = copied + 1;
                Probe.Observe(sum);
                ReadInto(out int filled);
                int fromOut = filled;
                Probe.Observe(fromOut);
                string swapped = "start";
                Swap(ref swapped);
                Probe.Observe(swapped);
                string text = ReadName();
                string joined = "name: " + text;
                Probe.Observe(joined);
                int ownCount = callerCount * 2;
                Probe.Observe(ownCount);
                Probe.Observe(callerName);
                Probe.Observe(password);
                Probe.Observe(41);
                return 0;
            }

            [Trusted]
            public int Calls(int callerCount)
            {
                _ = _key;
                int doubled = Twice(ReadCount());
                Probe.Observe(doubled);
                string bracketed = Bracket(ReadName());
                Probe.Observe(bracketed);
                int ownDoubled = Twice(callerCount);
                Probe.Observe(ownDoubled);
                var builder = new StringBuilder();
                builder.Append("to ").Append(ReadName());
                string built = builder.ToString();
                Probe.Observe(built);
                return 0;
            }

            [Trusted]
            public void RememberName()
            {
                _ = _key;
                _lastName = ReadName();
            }

            [Trusted]
            public int Objects(string callerText)
            {
                _ = _key;
                string remembered = _lastName;
                Probe.Observe(remembered);
                var fromHost = new Holder();
                Fill(fromHost, ReadName(), ReadCount());
                string holderText = fromHost.Text;
                int holderNumber = fromHost.Number;
                Probe.Observe(holderText);
                Probe.Observe(holderNumber);
                var fromCaller = new Holder();
                Fill(fromCaller, callerText, 7);
                string callerHolderText = fromCaller.Text;
                Probe.Observe(callerHolderText);
                return 0;
            }

            [Trusted]
            public int Collections(string callerName)
            {
                _ = _key;
                _names.Add(ReadName());
                string firstName = _names[0];
                Probe.Observe(firstName);
                var local = new List<int> { ReadCount() };
                int total = local.Sum();
                Probe.Observe(total);
                _limits["k"] = ReadCount();
                int limit = _limits["k"];
                Probe.Observe(limit);
                var own = new List<string> { callerName };
                string ownFirst = own[0];
                Probe.Observe(ownFirst);
                return 0;
            }
        }

        partial class Vault
        {
            private static partial int ReadCount() => 0;
            private static partial string ReadName() => "";
            private static partial void ReadInto(out int value) => value = 0;
            private static partial void Swap(ref string text) { }
        }
        """;

    private static readonly Lazy<IReadOnlyDictionary<string, Labels?>> s_observed = new(Observe);

    [Theory]
    [InlineData("sum", "ReadCount")]
    [InlineData("fromOut", "ReadInto")]
    [InlineData("swapped", "Swap")]
    [InlineData("joined", "ReadName")]
    [InlineData("doubled", "ReadCount")]
    [InlineData("bracketed", "ReadName")]
    [InlineData("built", "ReadName")]
    [InlineData("remembered", "ReadName")]
    [InlineData("holderText", "ReadName")]
    [InlineData("holderNumber", "ReadCount")]
    [InlineData("firstName", "ReadName")]
    [InlineData("total", "ReadCount")]
    [InlineData("limit", "ReadCount")]
    public void WhatAnOcallHandsBackIsHostControlledWhereverItGoes(string argument, string ocall)
    {
        Labels? host = HostLabels(argument);
        Assert.True(host is not null, $"'{argument}' should carry the host-controlled label of {ocall}; it carries: {s_observed.Value[argument]?.ToString() ?? "nothing"}");
        Assert.Contains(host!.Entries, e => e.Origin.Name == ocall);
    }

    [Theory]
    [InlineData("ownCount")]
    [InlineData("callerName")]
    [InlineData("password")]
    [InlineData("41")]
    [InlineData("ownDoubled")]
    [InlineData("callerHolderText")]
    [InlineData("ownFirst")]
    public void WhatTheEcallsCallerPassedIsNotHostControlled(string argument)
    {
        Assert.Null(HostLabels(argument));
    }

    [Fact]
    public void TheTwoLabelsStayApart()
    {
        Labels? password = s_observed.Value["password"];
        Assert.NotNull(password?.Where(Label.Secret, _ => true));
        Assert.Null(password?.Where(Label.HostControlled, _ => true));
        Assert.Null(s_observed.Value["sum"]?.Where(Label.Secret, _ => true));
    }

    // The host-controlled part of what the argument carried (joined over every visit), or null; the argument must have been seen.
    private static Labels? HostLabels(string argument)
    {
        Assert.True(s_observed.Value.ContainsKey(argument), $"the analysis never evaluated Probe.Observe({argument})");
        return s_observed.Value[argument]?.Where(Label.HostControlled, _ => true);
    }

    private static IReadOnlyDictionary<string, Labels?> Observe()
    {
        Compilation compilation = AnalyzerHarness.Compile(("Vault.cs", Source));
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        EnclaveSymbols symbols = EnclaveSymbols.TryCreate(compilation) ?? throw new InvalidOperationException("the EnclaveGen attributes were not found");
        var observed = new Dictionary<string, Labels?>(StringComparer.Ordinal);
        var context = new TaintContext(compilation, symbols, LibraryModels.ShippedOnly)
        {
            ArgumentObserver = (method, syntax, taint) =>
            {
                if (method.Name == "Observe")
                {
                    lock (observed)
                    {
                        string key = syntax.ToString();
                        observed[key] = Labels.Join(observed.TryGetValue(key, out Labels? before) ? before : null, taint);
                    }
                }
            },
        };

        INamedTypeSymbol vault = compilation.GetTypeByMetadataName("Vault") ?? throw new InvalidOperationException("Vault not found");
        IReadOnlyList<Finding> findings = context.AnalyzeEnclave(vault, CancellationToken.None);
        Assert.Empty(findings.Where(f => !f.IsSideChannel).Select(f => f.Kind + " at " + f.Location.GetLineSpan()));
        return observed;
    }
}
