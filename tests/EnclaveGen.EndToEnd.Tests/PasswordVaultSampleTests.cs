using PasswordVault;
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

/// <summary>
/// `dotnet run --project samples/PasswordVault`, run twice: the second run opens the protected file
/// the first wrote; each run's rollback is refused; a deleted vault file is refused too.
/// </summary>
[Collection(IsolatedSampleCollection.Name)]
public sealed class PasswordVaultSampleTests
{
    private static readonly TimeSpan s_timeLimit = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task FirstRunWritesTheVaultSecondRunOpensItAndTheHostsAttacksFail()
    {
        string folder = Path.Combine(Path.GetTempPath(), "enclavegen-vault-" + Guid.NewGuid().ToString("N"));
        try
        {
            StringWriter first = new();
            await VaultApp.RunAsync(first, folder).WaitAsync(s_timeLimit);
            string run1 = first.ToString();

            Assert.Contains("host <- no vault file yet: a new vault with a fresh pepper, written to a protected file (MRSIGNER, bound to a counter)", run1);
            Assert.Contains("host -> ECALL Register(\"carol\", <password>)", run1);
            string file = Path.Combine(folder, Vault.FileName);
            Assert.True(File.Exists(file));
            Assert.True(File.ReadAllBytes(file).AsSpan().IndexOf("alice"u8) < 0, "an account name is readable in the host's file");
            AssertChecksAndAttacks(run1);

            StringWriter second = new();
            await VaultApp.RunAsync(second, folder).WaitAsync(s_timeLimit);
            string run2 = second.ToString();

            string[] opening = run2.Split("2. Register accounts")[0].Split('\n');
            Assert.Contains(opening, line => line.Trim() == "host <- opened the vault's protected file written earlier: 3 accounts (alice, bob, carol)");
            Assert.Contains("alice: already in the vault the enclave unsealed; not registered again", run2);
            Assert.DoesNotContain("ECALL Register(\"alice\"", run2);
            Assert.DoesNotContain("no vault file yet", run2);
            AssertChecksAndAttacks(run2);

            // The host deletes the vault: the vault's counter says it was written, so this is a rollback too.
            File.Delete(file);
            TrustedCodeException refused = await Assert.ThrowsAsync<TrustedCodeException>(() => VaultApp.RunAsync(new StringWriter(), folder).WaitAsync(s_timeLimit));
            Assert.Equal(typeof(ProtectedFileException).FullName, refused.ExceptionTypeName);
            Assert.Contains("was rolled back: it is missing", refused.EnclaveMessage, StringComparison.Ordinal);
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
        Assert.Contains("host <- ProtectedFileException: Protected file 'vault-v1.db' was rolled back: the host handed back version", text);
        Assert.Contains("the enclave refused the old copy as rolled back: it is authentic, only older than the vault's counter allows", text);
        Assert.Contains("host -> ECALL Verify(\"carol\", her new password) -> accepted", text);
        Assert.Contains("host -> ECALL Verify(\"carol\", her old password) -> rejected", text);
        Assert.DoesNotContain("NOT detected", text);
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
