using EnclaveGen.Analyzers.Taint;
using EnclaveGen.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using static EnclaveGen.Analyzers.Tests.Infrastructure.EnclaveTestSetup;

namespace EnclaveGen.Analyzers.Tests.Integrity;

/// <summary>
/// The integrity rules EG6001-EG6005 at their exact locations: each fires on a host-controlled
/// flow and stays quiet once the data passed the check the enclave owns. The corpus
/// (IntegrityCorpusTests) scores them on whole programs; these pin the edges of each sanitizer.
/// </summary>
public sealed class IntegrityRuleTests
{
    private const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.Linq;
        using System.Security.Cryptography;
        using EnclaveGen;

        """;

    private static Task VerifyAsync(string body, params Microsoft.CodeAnalysis.Testing.DiagnosticResult[] expected) =>
        WithRuntime(new EnclaveAnalyzerTest<TaintAnalyzer>(Usings + body, expected)).RunAsync();

    // EnclaveSealing and EnclaveCounters live in the runtime.
    private static EnclaveAnalyzerTest<TaintAnalyzer> WithRuntime(EnclaveAnalyzerTest<TaintAnalyzer> test)
    {
        test.TestState.AdditionalReferences.Add(MetadataReference.CreateFromFile(typeof(EnclaveSealing).Assembly.Location));
        return test;
    }

    [Theory]
    [InlineData("if (n > Max) throw new InvalidOperationException(); var a = new byte[n];")]
    [InlineData("if (n >= Max) { return 0; } var a = new byte[n];")]
    [InlineData("if (Max < n) throw new InvalidOperationException(); var a = new byte[n];")]
    [InlineData("if (n <= Max) { var a = new byte[n]; }")]
    [InlineData("if (n is < 0 or > Max) return 0; var a = new byte[n];")]
    [InlineData("if (!(n <= Max)) return 0; var a = new byte[n];")]
    [InlineData("n = Math.Min(n, Max); var a = new byte[n];")]
    [InlineData("var a = new byte[Math.Clamp(n, 0, Max)];")]
    [InlineData("ArgumentOutOfRangeException.ThrowIfGreaterThan(n, Max); var a = new byte[n];")]
    [InlineData("if (n > _limit) return 0; var a = new byte[n];")]
    [InlineData("if (n != 32) return 0; Span<byte> a = stackalloc byte[n];")]
    public async Task ABoundTheEnclaveOwnsBeforeTheUseKeepsEG6002Quiet(string statements)
    {
        await VerifyAsync($$"""
            [Enclave]
            public partial class Vault
            {
                private const int Max = 4096;
                private readonly int _limit = 512;

                [Trusted]
                public int Load()
                {
                    int n = Count();
                    {{statements}}
                    return n;
                }

                [Untrusted] private static partial int Count();
            }

            partial class Vault { private static partial int Count() => 0; }
            """);
    }

    [Theory]
    [InlineData("var a = new byte[{|#0:n|}];")]
    [InlineData("if (n < Max) throw new InvalidOperationException(); var a = new byte[{|#0:n|}];")]
    [InlineData("if (n > Other()) throw new InvalidOperationException(); var a = new byte[{|#0:n|}];")]
    [InlineData("var a = new byte[{|#0:n|}]; if (n > Max) throw new InvalidOperationException();")]
    [InlineData("if (n > 0) { Span<byte> a = {|#0:stackalloc byte[n]|}; }")]
    [InlineData("var a = new List<int>({|#0:n|});")]
    [InlineData("var a = Enumerable.Range(0, {|#0:n|}).ToArray();")]
    [InlineData("int m = Math.Min(n, Other()); var a = new byte[{|#0:m|}];")]
    [InlineData("for (int i = 0; {|#0:i < n|}; i++) { }")]
    public async Task AHostSizeWithoutADominatingBoundIsEG6002(string statements)
    {
        await VerifyAsync($$"""
            [Enclave]
            public partial class Vault
            {
                private const int Max = 4096;

                [Trusted]
                public int Load()
                {
                    int n = Count();
                    {{statements}}
                    return n;
                }

                [Untrusted] private static partial int Count();
                [Untrusted] private static partial int Other();
            }

            partial class Vault
            {
                private static partial int Count() => 0;
                private static partial int Other() => 0;
            }
            """,
            Diagnostic("EG6002"));
    }

    [Fact]
    public async Task AnEcallNumberIsASizeSourceButAReceivedArrayIsNot()
    {
        await VerifyAsync("""
            [Enclave]
            public partial class Vault
            {
                [Trusted]
                public int Make(int size, int[] values)
                {
                    var copy = new int[values.Length];
                    foreach (int v in values) { copy[0] += v; }
                    var made = new byte[{|#0:size|}];
                    return made.Length + copy[0];
                }
            }
            """,
            Diagnostic("EG6002"));
    }

    [Fact]
    public async Task AnEcallNumberIsNotASourceForTheOtherRules()
    {
        await VerifyAsync("""
            [Enclave]
            public partial class Vault
            {
                [Secret] private readonly byte[] _key = new byte[32];

                [Trusted]
                public byte[] Release(int role) => role == 1 ? Secrets.Declassify(_key, "role one may see it") : [];
            }
            """);
    }

    [Fact]
    public async Task HostKeyMaterialIsEG6003AndAGeneratedOrUnsealedKeyIsNot()
    {
        await VerifyAsync("""
            [Enclave]
            public partial class Vault
            {
                [Secret] private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);

                [Trusted]
                public int Use()
                {
                    using var fromHost = new AesGcm({|#0:HostKey()|}, 16);
                    using var own = new AesGcm(_key, 16);
                    var nonce = HostKey();
                    own.Encrypt({|#1:nonce|}, new byte[1], new byte[1], new byte[16]);
                    own.Encrypt(RandomNumberGenerator.GetBytes(12), new byte[1], new byte[1], new byte[16]);
                    var random = new Random({|#2:Seed()|});
                    return random.Next();
                }

                [Untrusted] private static partial byte[] HostKey();
                [Untrusted] private static partial int Seed();
            }

            partial class Vault
            {
                private static partial byte[] HostKey() => [];
                private static partial int Seed() => 0;
            }
            """,
            Diagnostic("EG6003", 0), Diagnostic("EG6003", 1), Diagnostic("EG6003", 2));
    }

    [Fact]
    public async Task HostBytesBecomingStateAreEG6004UntilAVerificationUnderAnEnclaveKeySucceeds()
    {
        await VerifyAsync("""
            [Enclave]
            public partial class Vault
            {
                [Secret] private readonly byte[] _macKey = RandomNumberGenerator.GetBytes(32);
                private byte[] _state = [];
                private byte[] _checked = [];
                private int _count;

                [Trusted]
                public void Restore()
                {
                    byte[] blob = Load();
                    _state = {|#0:blob|};
                    if (CryptographicOperations.FixedTimeEquals(HMACSHA256.HashData(_macKey, blob), Tag()))
                    {
                        _checked = blob;
                    }

                    _count = Count();
                }

                [Untrusted] private static partial byte[] Load();
                [Untrusted] private static partial byte[] Tag();
                [Untrusted] private static partial int Count();
            }

            partial class Vault
            {
                private static partial byte[] Load() => [];
                private static partial byte[] Tag() => [];
                private static partial int Count() => 0;
            }
            """,
            // A MAC does not give away its key, so the check's branch is no side channel on it (no EG4001).
            Diagnostic("EG6004", 0));
    }

    [Fact]
    public async Task AVerificationThatFailedVouchesForNothing()
    {
        await VerifyAsync("""
            [Enclave]
            public partial class Vault
            {
                [Secret] private readonly byte[] _macKey = RandomNumberGenerator.GetBytes(32);
                private byte[] _state = [];

                [Trusted]
                public void Restore()
                {
                    byte[] blob = Load();
                    if (!CryptographicOperations.FixedTimeEquals(HMACSHA256.HashData(_macKey, blob), Tag()))
                    {
                        _state = {|#0:blob|};
                    }
                }

                [Untrusted] private static partial byte[] Load();
                [Untrusted] private static partial byte[] Tag();
            }

            partial class Vault
            {
                private static partial byte[] Load() => [];
                private static partial byte[] Tag() => [];
            }
            """,
            Diagnostic("EG6004", 0));
    }

    [Fact]
    public async Task HostDataValidatorMethodsVouchInEachOfTheirThreeShapes()
    {
        await VerifyAsync("""
            public sealed record Config(int Limit);

            [Enclave]
            public partial class Vault
            {
                private byte[] _a = [], _b = [];
                private Config _c = new(0);

                [Trusted]
                public void Restore()
                {
                    byte[] a = Load();
                    Ensure(a);
                    _a = a;

                    byte[] b = Load();
                    if (IsWellFormed(b))
                    {
                        _b = b;
                    }

                    _c = Parse(Load());
                }

                [HostDataValidator]
                private static void Ensure(byte[] blob)
                {
                    if (blob.Length != 16) throw new InvalidOperationException("expected 16 bytes");
                }

                [HostDataValidator]
                private static bool IsWellFormed(byte[] blob) => blob.Length == 16;

                [HostDataValidator]
                private static Config Parse(byte[] blob) => new(blob.Length == 4 ? BitConverter.ToInt32(blob) : 0);

                [Untrusted] private static partial byte[] Load();
            }

            partial class Vault { private static partial byte[] Load() => []; }
            """);
    }

    [Fact]
    public async Task HostTimeInAComparisonOrSwitchIsEG6005AndInAMessageIsNot()
    {
        var test = WithRuntime(new EnclaveAnalyzerTest<TaintAnalyzer>(Usings + """
            [Enclave]
            public partial class Vault
            {
                private DateTime _expires;
                private long _last;

                [Trusted]
                public string Check()
                {
                    bool expired = {|#0:DateTime.UtcNow > _expires|};
                    long now = GetUnixTime();
                    if ({|#1:now - _last < 1000|}) return "slow down";
                    string tier = {|#2:HostDate().Month switch { 12 => "holiday", _ => "normal" }|};
                    return $"{expired} {tier} at {now}";
                }

                [Untrusted] private static partial long GetUnixTime();
                [Untrusted] private static partial DateTime HostDate();
            }

            partial class Vault
            {
                private static partial long GetUnixTime() => 0;
                private static partial DateTime HostDate() => default;
            }
            """,
            Diagnostic("EG6005", 0), Diagnostic("EG6005", 1), Diagnostic("EG6005", 2)));
        await test.RunAsync();
    }

    [Fact]
    public async Task AHostDecidedReleaseOrAuthorizationIsEG6001AndAHostDecidedMessageIsNot()
    {
        await VerifyAsync("""
            [Enclave]
            public partial class Vault
            {
                [Secret] private readonly string _token = "t";

                [Trusted]
                public string Read(string user)
                {
                    if (!Allowed(user))
                    {
                        throw {|#0:new UnauthorizedAccessException("no")|};
                    }

                    if (IsAdmin(user))
                    {
                        return {|#1:Secrets.Declassify(_token, "admins see it")|};
                    }

                    return Count() == 0 ? "empty" : "some";
                }

                [Trusted]
                public byte[] Store([Secret] byte[] data) => EnclaveSealing.Seal(data, {|#2:Policy()|});

                [Untrusted] private static partial bool Allowed(string user);
                [Untrusted] private static partial bool IsAdmin(string user);
                [Untrusted] private static partial int Count();
                [Untrusted] private static partial SealingPolicy Policy();
            }

            partial class Vault
            {
                private static partial bool Allowed(string user) => true;
                private static partial bool IsAdmin(string user) => true;
                private static partial int Count() => 0;
                private static partial SealingPolicy Policy() => SealingPolicy.MrEnclave;
            }
            """,
            Diagnostic("EG6001", 0), Diagnostic("EG6001", 1), Diagnostic("EG6001", 2));
    }
}
