using PasswordVault.Host;

namespace EnclaveGen.EndToEnd.Tests;

/// <summary>
/// The PasswordVault and PrivateInference sample tests start isolated enclaves and look for their
/// own enclave among this process's children, so they run alone, after the parallel tests.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class IsolatedSampleCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Isolated samples (run alone)";
}

/// <summary>`dotnet run --project samples/PasswordVault`, run twice: the second run unseals what the first sealed.</summary>
[Collection(IsolatedSampleCollection.Name)]
public sealed class PasswordVaultSampleTests
{
    private static readonly TimeSpan s_timeLimit = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task FirstRunSealsTheVaultSecondRunUnsealsItAndTheHostsAttacksFail()
    {
        string folder = Path.Combine(Path.GetTempPath(), "enclavegen-vault-" + Guid.NewGuid().ToString("N"));
        try
        {
            StringWriter first = new();
            await VaultApp.RunAsync(first, folder).WaitAsync(s_timeLimit);
            string run1 = first.ToString();

            Assert.Contains("host <- no sealed vault yet: a new vault with a fresh pepper, sealed (MRSIGNER) and stored", run1);
            Assert.Contains("host -> ECALL Register(\"carol\", <password>)", run1);
            Assert.True(File.Exists(Path.Combine(folder, "vault.sealed")));
            AssertChecksAndAttacks(run1);

            StringWriter second = new();
            await VaultApp.RunAsync(second, folder).WaitAsync(s_timeLimit);
            string run2 = second.ToString();

            string[] opening = run2.Split("2. Register accounts")[0].Split('\n');
            Assert.Contains(opening, line => line.Trim() == "host <- unsealed the vault sealed earlier: 3 accounts (alice, bob, carol)");
            Assert.Contains("alice: already in the vault the enclave unsealed; not registered again", run2);
            Assert.DoesNotContain("ECALL Register(", run2);
            Assert.DoesNotContain("no sealed vault yet", run2);
            AssertChecksAndAttacks(run2);
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    private static void AssertChecksAndAttacks(string text)
    {
        Assert.Contains("isolated mode: the enclave runs in a process of its own", text);
        Assert.Contains("host -> ECALL Verify(\"alice\", the right password) -> accepted", text);
        Assert.Contains("host -> ECALL Verify(\"alice\", a wrong password) -> rejected", text);
        Assert.Contains("host -> ECALL Verify(\"mallory\", no such account; the check costs the same) -> rejected", text);
        Assert.Contains("host <- EnclaveIntegrityException: the enclave found the message altered and halted", text);
        Assert.Contains("host -> ECALL Accounts(): EnclaveHaltedException, a halted enclave refuses every call", text);
        Assert.Contains("host -> ECALL Verify(\"carol\", the right password) -> accepted", text);
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        Assert.Contains("the pepper in the host's memory: not found", text);
        Assert.Contains("control, a look-alike secret the host made itself, same scan: found", text);

        // Root reads any process (the sample says so); an ordinary user is refused.
        Assert.Contains(
            Environment.UserName == "root"
                ? "it worked, because this host runs as root"
                : "the enclave process is not dumpable, so no other process of this user may read it",
            text);
        Assert.Contains("control, the same read from an ordinary child process of this user: it worked", text);
    }
}
