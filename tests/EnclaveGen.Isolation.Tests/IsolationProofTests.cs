using System.Security.Cryptography;
using System.Text;
using EnclaveGen.Isolation.Tests.Enclaves;
using EnclaveGen.Tests;

namespace EnclaveGen.Isolation.Tests;

/// <summary>
/// The isolation proof. A host running as an ordinary user (uid 65534, dropped with setpriv: the
/// tests run as root, and root reads any process through CAP_SYS_PTRACE) keeps a secret in an
/// enclave, then plays attacker: it cannot read the enclave process's memory, though it can read
/// an ordinary process of the same user, and the secret is nowhere in its own memory, though a
/// canary of its own is found there. In-process, the same probe finds the secret in its memory.
/// </summary>
[Collection(nameof(ProcessTests))]
public sealed class IsolationProofTests
{
    [Fact]
    public void NonRootHostCannotReadTheIsolatedEnclaveAndNeverHoldsItsSecret()
    {
        (byte[] seed, byte[] secret) = NewSecret();
        using Probe probe = Probe.Start(ProbeArguments(EnclaveMode.Isolated, seed, secret), uid: Probe.Nobody);

        Assert.Equal(Probe.Nobody.ToString(), probe["UID"].Split('/')[1]);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(secret)), probe["COMMITMENT"]);
        Assert.Contains("dumpable=0", probe["HARDENING"]);
        Assert.Contains("RLIMIT_CORE=0", probe["HARDENING"]);

        // Same user, yet the enclave process is closed; an ordinary process of that user is not.
        Assert.StartsWith("denied", probe["CHILD_MEM"]);
        Assert.StartsWith("read:16", probe["SIBLING_MEM"]);

        // The secret is not in the host's memory, though the scan finds what is there.
        Assert.Equal("0", probe["SECRET_HITS"]);
        Assert.NotEqual("0", probe["CANARY_HITS"]);
        Assert.True(long.Parse(probe["SCANNED_BYTES"]) > 10_000_000, $"only {probe["SCANNED_BYTES"]} bytes were scanned");

        // And it really is in the enclave's memory: root (this test) can look.
        MemoryScanner.Result inside = MemoryScanner.Scan(probe["CHILD_PID"], secret[..4], SHA256.HashData(secret));
        Assert.True(inside.Hits > 0, $"the secret was not found in the enclave process ({inside.BytesScanned} bytes in {inside.Regions} regions)");
        probe.Finish();
    }

    [Fact]
    public void InProcessTheSameProbeFindsTheSecretInHostMemory()
    {
        (byte[] seed, byte[] secret) = NewSecret();
        using Probe probe = Probe.Start(ProbeArguments(EnclaveMode.InProcess, seed, secret), uid: Probe.Nobody);

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(secret)), probe["COMMITMENT"]);
        Assert.NotEqual("0", probe["SECRET_HITS"]);
        Assert.StartsWith("read:16", probe["SIBLING_MEM"]);
        probe.Finish();
    }

    [Fact]
    public void AProbeRunAsAnotherUserGetsAHomeOfItsOwnNotThePrivateOneItWouldInherit()
    {
        // The test's user keeps its EnclaveGen home private (0700), as a careful user or a CI does.
        string privateHome = Directory.CreateTempSubdirectory("egprivate-home").FullName;
        try
        {
            (byte[] seed, byte[] secret) = NewSecret();
            using Probe probe = Probe.Start(ProbeArguments(EnclaveMode.InProcess, seed, secret), uid: Probe.Nobody, environment: new Dictionary<string, string> { ["ENCLAVEGEN_HOME"] = privateHome });

            Assert.Equal(Probe.Nobody.ToString(), probe["UID"].Split('/')[1]);
            Assert.NotEqual(privateHome, probe["ENCLAVEGEN_HOME"]);
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(secret)), probe["COMMITMENT"]);
            probe.Finish();
        }
        finally
        {
            Directory.Delete(privateHome, recursive: true);
        }
    }

    [Fact]
    public void AProbeThatFailsBeforeReportingShowsItsStandardError()
    {
        InvalidOperationException failed = Assert.Throws<InvalidOperationException>(() => Probe.Start(["no-such-command"]));
        Assert.Contains("exit 64", failed.Message, StringComparison.Ordinal);
        Assert.Contains("usage: probe <InProcess|Isolated>", failed.Message, StringComparison.Ordinal);
    }

    private static (byte[] Seed, byte[] Secret) NewSecret()
    {
        byte[] seed = RandomNumberGenerator.GetBytes(32);
        return (seed, SHA256.HashData([.. Encoding.UTF8.GetBytes(SecretKeeper.Label), .. seed]));
    }

    private static string[] ProbeArguments(EnclaveMode mode, byte[] seed, byte[] secret) =>
        ["probe", mode.ToString(), Convert.ToHexString(seed), Convert.ToHexString(secret[..4]), Convert.ToHexString(SHA256.HashData(secret))];
}
