using EnclaveGen.Analyzers.Taint;
using EnclaveGen.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace EnclaveGen.Analyzers.Tests.Integrity;

/// <summary>
/// The integrity rules' syntactic pre-filter (<see cref="HostRelevance"/>): bodies that cannot see
/// host data are skipped (what keeps the rules cheap), and every way host data arrives by name
/// lets the body through.
/// </summary>
public sealed class HostRelevanceTests
{
    private const string Source = """
        using System;
        using EnclaveGen;

        [Enclave]
        public partial class Vault
        {
            private int _stored;
            private int _own;

            [Trusted] public void OnlyNotifies(string user) => Notify(user);
            [Trusted] public int ReadsHost() => Count();
            [Trusted] public int CallsReader() => Helper() + 1;
            [Trusted] public void Stores() => _stored = Count();
            [Trusted] public int ReadsStored() => _stored;
            [Trusted] public int ReadsOwn() => _own;
            [Trusted] public bool ReadsClock() => DateTime.UtcNow.Year > 2000;
            [Trusted] public byte[] Allocates(int size) => new byte[size];
            [Trusted] public int Adds(int a, int b) => a + b;
            [Trusted] public byte[] AllocatesThroughHelper(int size) => Make(size);
            [Trusted] public void FillsOut() => Fill(out _);

            private int Helper() => Count();
            private static byte[] Make(int n) => new byte[n];

            [Untrusted] private static partial void Notify(string user);
            [Untrusted] private static partial int Count();
            [Untrusted] private static partial void Fill(out int value);
        }
        """;

    [Theory]
    [InlineData("OnlyNotifies", false)]
    [InlineData("ReadsHost", true)]
    [InlineData("CallsReader", true)]
    [InlineData("Helper", true)]
    [InlineData("Stores", true)]
    [InlineData("ReadsStored", true)]
    [InlineData("ReadsOwn", false)]
    [InlineData("ReadsClock", true)]
    [InlineData("Allocates", true)]
    [InlineData("Adds", false)]
    [InlineData("AllocatesThroughHelper", true)]
    [InlineData("FillsOut", true)]
    public void BodiesThatCannotSeeHostDataAreSkipped(string method, bool mayTouchHostData)
    {
        CSharpCompilation compilation = AnalyzerHarness.Compile(("Vault.cs", Source));
        HostRelevance relevance = HostRelevance.Compute(compilation, [], CancellationToken.None);
        IMethodSymbol symbol = compilation.GetTypeByMetadataName("Vault")!.GetMembers(method).OfType<IMethodSymbol>().Single();

        Assert.Equal(mayTouchHostData, relevance.MayTouchHostData(symbol));
    }

    [Fact]
    public void AnIndexerThatReadsHostDataTurnsTheFilterOff()
    {
        CSharpCompilation compilation = AnalyzerHarness.Compile(("Vault.cs", """
            using EnclaveGen;

            [Enclave]
            public partial class Vault
            {
                public int this[int i] => Count() + i;

                [Trusted] public int Adds(int a, int b) => a + b;

                [Untrusted] private static partial int Count();
            }
            """));
        HostRelevance relevance = HostRelevance.Compute(compilation, [], CancellationToken.None);

        Assert.True(relevance.MayTouchHostData(compilation.GetTypeByMetadataName("Vault")!.GetMembers("Adds").Single()));
    }
}
