using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using static EnclaveGen.Analyzers.Tests.Infrastructure.EnclaveTestSetup;
using Verify = EnclaveGen.Analyzers.Tests.Infrastructure.EnclaveAnalyzerTest<EnclaveGen.Analyzers.Taint.TaintAnalyzer>;

namespace EnclaveGen.Analyzers.Tests.Taint;

public sealed class TaintAnalyzerTests
{
    private static string Enclave(string members) => """
        using System;
        using System.Collections.Generic;
        using System.Diagnostics;
        using System.Linq;
        using System.Runtime.InteropServices;
        using System.Security.Cryptography;
        using EnclaveGen;

        [Enclave]
        public partial class Vault
        {
        """ + members + """

            [Untrusted] private static partial void Audit(string user, string detail);
            [Untrusted] private static partial void Send(int value);
        }

        """ + OcallImplementations;

    // ------------------------------------------------------------ EG3001

    [Fact]
    public async Task SecretReachingAnOcallIsReportedAtTheSinkWithTheSourceAndThePath()
    {
        await Verify.VerifyAsync(
            Enclave("""
                [Trusted]
                public void Check(string user, [Secret] string {|#1:password|})
                {
                    string line = "login " + password;
                    Audit(user, {|#0:line|});
                }
            """),
            new DiagnosticResult("EG3001", DiagnosticSeverity.Error)
                .WithLocation(0)
                .WithLocation(1)
                .WithMessage("'password' reaches OCALL 'Audit' through 'line'; pass only public data to the host, or release it on purpose with Secrets.Declassify(value, \"why\")"));
    }

    [Fact]
    public async Task DeclassifiedOrOverwrittenSecretDoesNotReachTheOcall()
    {
        await Verify.VerifyAsync(Enclave("""
                [Trusted]
                public void Check(string user, [Secret] string password)
                {
                    string line = password;
                    line = "attempt";
                    Audit(user, line);
                    Audit(user, Secrets.Declassify(password.Substring(0, 1), "first letter is shown in the UI"));
                }
            """));
    }

    [Fact]
    public async Task SecretPassedToAHelperThatCallsAnOcallIsReportedAtTheCall()
    {
        await Verify.VerifyAsync(
            Enclave("""
                private void Log(string user, string text) => Audit(user, {|#1:text|});

                [Trusted]
                public void Check(string user, [Secret] string password) => Log(user, {|#0:password|});
            """),
            new DiagnosticResult("EG3001", DiagnosticSeverity.Error)
                .WithLocation(0)
                .WithOptions(DiagnosticOptions.IgnoreAdditionalLocations)
                .WithMessage("'password' reaches OCALL 'Audit' through 'Log'; pass only public data to the host, or release it on purpose with Secrets.Declassify(value, \"why\")"));
    }

    [Fact]
    public async Task SecretFieldWrittenInOneEcallAndSentInAnotherIsReported()
    {
        await Verify.VerifyAsync(
            Enclave("""
                private string _token = "";

                [Trusted]
                public void Set([Secret] string token) => _token = token;

                [Trusted]
                public void Report(string user) => Audit(user, {|#0:_token|});
            """),
            Diagnostic("EG3001").WithArguments("token", "Audit", " through '_token'"));
    }

    // ------------------------------------------------------------ declassification and ECALLs called from trusted code

    /// <summary>
    /// Declassify inside an ECALL releases what the ECALL hands to the host. Trusted code that
    /// calls that ECALL directly gets the result back secret: passing it on to an OCALL is a leak
    /// (docs/diagnostics/taint-analysis.md, "Declassification").
    /// </summary>
    [Fact]
    public async Task TheDeclassifiedResultOfAnEcallCalledFromTrustedCodeIsSecretAgain()
    {
        await Verify.VerifyAsync(
            Enclave("""
                [Trusted]
                public bool Matches([Secret] byte[] password) =>
                    Secrets.Declassify(CryptographicOperations.FixedTimeEquals(password, "letmein"u8), "a check reveals one bit");

                [Trusted]
                public void Probe(string user, [Secret] byte[] password)
                {
                    bool hit = Matches(password);
                    Send({|#0:hit ? 1 : 0|});
                }
            """),
            Diagnostic("EG3001", 0).WithArguments("password", "Send", " through 'hit'"),
            Diagnostic("EG4001", 0));
    }

    [Fact]
    public async Task DeclassifyInsideAnEcallStillReleasesItsOwnResultAndItsOwnOcalls()
    {
        await Verify.VerifyAsync(Enclave("""
                [Trusted]
                public bool Matches(string user, [Secret] byte[] password)
                {
                    bool ok = Secrets.Declassify(CryptographicOperations.FixedTimeEquals(password, "letmein"u8), "a check reveals one bit");
                    Send(ok ? 1 : 0);
                    return ok;
                }

                private static bool Helper([Secret] string password) => Secrets.Declassify(password.Length > 8, "strength is public");

                [Trusted]
                public void Check([Secret] string password) => Send(Helper(password) ? 1 : 0);
            """));
    }

    // ------------------------------------------------------------ EG3002

    [Fact]
    public async Task SecretInTheReturnValueOutParameterAndOutBufferOfAnEcallIsReported()
    {
        await Verify.VerifyAsync(
            Enclave("""
                [Trusted]
                public int Get([Secret] int pin, out int copy, [Out] byte[] buffer)
                {
                    copy = {|#1:pin + 1|};
                    {|#2:BitConverter.GetBytes(pin).CopyTo(buffer, 0)|};
                    return {|#0:pin|};
                }
            """),
            Diagnostic("EG3002", 0).WithArguments("pin", "the return value", "Get", ""),
            Diagnostic("EG3002", 1).WithArguments("pin", "out parameter 'copy'", "Get", ""),
            Diagnostic("EG3002", 2).WithArguments("pin", "[Out] buffer 'buffer'", "Get", ""));
    }

    [Fact]
    public async Task PublicResultsOfAnEcallAreFine()
    {
        await Verify.VerifyAsync(Enclave("""
                [Trusted]
                public int Get(string user, [Secret] int pin, out int length)
                {
                    length = pin;
                    length = user.Length;
                    return Secrets.Declassify(pin > 0, "sign only") ? 1 : 0;
                }

                private int Helper([Secret] int pin) => pin;
            """));
    }

    // ------------------------------------------------------------ EG3003

    [Fact]
    public async Task SecretStoredInStaticStateIsReported()
    {
        await Verify.VerifyAsync(
            Enclave("""
                private static readonly List<string> s_seen = new();

                [Trusted]
                public void Check([Secret] string password)
                {
                    Cache.Last = {|#0:password|};
                    {|#1:s_seen.Add(password)|};
                }
            """) + """

            internal static class Cache { public static string Last = ""; }
            """,
            Diagnostic("EG3003", 0).WithArguments("password", "field", "Last", ""),
            Diagnostic("EG3003", 1).WithArguments("password", "field", "s_seen", ""));
    }

    [Fact]
    public async Task PublicDataInStaticStateIsFine()
    {
        await Verify.VerifyAsync(Enclave("""
                [Trusted]
                public void Check(string user, [Secret] string password) => Cache.Last = user;
            """) + """

            internal static class Cache { public static string Last = ""; }
            """);
    }

    // ------------------------------------------------------------ EG3004

    [Fact]
    public async Task SecretInAThrownExceptionIsReported()
    {
        await Verify.VerifyAsync(
            Enclave("""
                [Trusted]
                public void Check([Secret] string password)
                {
                    if (password.Length < 4)
                    {
                        throw {|#0:new ArgumentException("bad: " + password)|};
                    }
                }
            """),
            Diagnostic("EG3004").WithArguments("password", ""));
    }

    [Fact]
    public async Task ExceptionNamingTheParameterIsFine()
    {
        await Verify.VerifyAsync(Enclave("""
                [Trusted]
                public void Check([Secret] string password)
                {
                    if (password is null)
                    {
                        throw new ArgumentNullException(nameof(password));
                    }
                }
            """));
    }

    // ------------------------------------------------------------ EG3005

    [Fact]
    public async Task SecretWrittenToDebugOrTraceOutputIsReported()
    {
        await Verify.VerifyAsync(
            Enclave("""
                [Trusted]
                public void Check([Secret] string password)
                {
                    Debug.WriteLine({|#0:password|});
                    Trace.TraceWarning("value {0}", {|#1:password.Length|});
                    Debug.WriteLine("checked");
                }
            """),
            Diagnostic("EG3005", 0).WithArguments("password", "Debug.WriteLine", ""),
            Diagnostic("EG3005", 1).WithArguments("password", "Trace.TraceWarning", ""));
    }

    // ------------------------------------------------------------ EG3006

    [Fact]
    public async Task BranchOnASecretDecidingAnOcallIsAnImplicitFlow()
    {
        var test = new Verify(
            Enclave("""
                [Trusted]
                public bool Check(string user, [Secret] int pin)
                {
                    bool ok = false;
                    if (pin == 1234)
                    {
                        {|#0:Audit(user, "default pin")|};
                        ok = true;
                    }

                    return {|#1:ok|};
                }
            """),
            Diagnostic("EG3006", 0).WithArguments("pin", "what is sent to OCALL 'Audit'"),
            Diagnostic("EG3006", 1).WithArguments("pin", "the return value of ECALL 'Check'"));
        test.DisabledDiagnostics.Add("EG4001");
        await test.RunAsync();
    }

    [Fact]
    public async Task BranchOnPublicDataIsNotAnImplicitFlow()
    {
        await Verify.VerifyAsync(Enclave("""
                [Trusted]
                public bool Check(string user, bool verbose, [Secret] int pin)
                {
                    if (verbose)
                    {
                        Audit(user, "checking");
                    }

                    return verbose;
                }
            """));
    }

    // ------------------------------------------------------------ EG4001-EG4004

    [Fact]
    public async Task SecretDecidingABranchLoopOrConditionalIsReported()
    {
        await Verify.VerifyAsync(
            Enclave("""
                private int _acc;

                [Trusted]
                public void Mix([Secret] int key)
                {
                    if ({|#0:key > 10|}) { _acc++; }
                    for (int i = 0; {|#1:i < key|}; i++) { _acc++; }
                    _acc += {|#2:key % 2 == 0 ? 1 : 2|};
                }
            """),
            Diagnostic("EG4001", 0).WithArguments("key", "The condition of this 'if'"),
            Diagnostic("EG4001", 1).WithArguments("key", "The condition of this loop"),
            Diagnostic("EG4001", 2).WithArguments("key", "This conditional expression"));
    }

    [Fact]
    public async Task LoopOverTheLengthOfASecretAndDeclassifiedConditionsAreFine()
    {
        await Verify.VerifyAsync(Enclave("""
                private int _acc;

                [Trusted]
                public void Mix([Secret] byte[] key)
                {
                    for (int i = 0; i < key.Length; i++) { _acc ^= key[i]; }
                    if (Secrets.Declassify(key[0] > 3, "the first byte's range is public")) { _acc++; }
                }
            """));
    }

    [Fact]
    public async Task EarlyExitComparisonsOfSecretsAreReported()
    {
        await Verify.VerifyAsync(
            Enclave("""
                private readonly string _stored = "x";
                private readonly byte[] _hash = new byte[32];
                private bool _ok;

                [Trusted]
                public void Check([Secret] string password, [Secret] byte[] mac)
                {
                    _ok = {|#0:password == _stored|};
                    _ok = {|#1:string.Equals(password, _stored)|};
                    _ok = {|#2:mac.SequenceEqual(_hash)|};
                    _ok = {|#3:Array.IndexOf(mac, (byte)0)|} > 0;
                }
            """),
            Diagnostic("EG4002", 0).WithArguments("password", "=="),
            Diagnostic("EG4002", 1).WithArguments("password", "Equals"),
            Diagnostic("EG4002", 2).WithArguments("mac", "SequenceEqual"),
            Diagnostic("EG4002", 3).WithArguments("mac", "IndexOf"));
    }

    [Fact]
    public async Task ComparisonInAnIfIsReportedOnceAsAnEarlyExitComparison()
    {
        await Verify.VerifyAsync(
            Enclave("""
                private readonly string _stored = "x";
                private int _fails;

                [Trusted]
                public void Check([Secret] string password)
                {
                    if ({|#0:password != _stored|}) { _fails++; }
                }
            """),
            Diagnostic("EG4002", 0).WithArguments("password", "!="));
    }

    [Fact]
    public async Task FixedTimeComparisonIsFine()
    {
        await Verify.VerifyAsync(Enclave("""
                private readonly byte[] _hash = new byte[32];
                private bool _ok;

                [Trusted]
                public void Check([Secret] byte[] mac) => _ok = CryptographicOperations.FixedTimeEquals(mac, _hash);
            """));
    }

    [Fact]
    public async Task SecretIndexAndDivisorAreReported()
    {
        await Verify.VerifyAsync(
            Enclave("""
                private static readonly int[] s_table = new int[256];
                private int _acc;

                [Trusted]
                public void Mix([Secret] byte[] key, int count)
                {
                    _acc += s_table[{|#0:key[0]|}];
                    _acc += count / {|#1:key[1]|};
                    _acc += key[1] / 3;
                    _acc += s_table[count & 255];
                }
            """),
            Diagnostic("EG4003", 0).WithArguments("key"),
            Diagnostic("EG4004", 1).WithArguments("key"));
    }

    // ------------------------------------------------------------ scope

    [Fact]
    public async Task GeneratedCodeIsNotAnalyzed()
    {
        var test = new Verify(Enclave("""
                [Trusted]
                public void Check([Secret] string password) { }
            """));
        test.TestState.Sources.Add(("Vault.Enclave.g.cs", """
            // <auto-generated/>
            partial class Vault
            {
                private void Dispatch([EnclaveGen.Secret] string password) => Audit("u", password);
            }
            """));
        await test.RunAsync();
    }

    [Fact]
    public async Task HostCodeIsNotAnalyzed()
    {
        await Verify.VerifyAsync(Enclave("") + """

            class Host
            {
                string Echo([EnclaveGen.Secret] string password) => password;
            }
            """);
    }
}
