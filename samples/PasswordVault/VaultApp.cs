using System.Security.Cryptography;
using EnclaveGen;
using EnclaveGen.Runtime.Platform;

namespace PasswordVault.Host;

/// <summary>
/// The sample's whole story, callable from Program and from the end-to-end test: a password vault
/// whose hashes live only inside an enclave, kept between runs in a protected file on the host's
/// disk, and a host that plays the insider and tries to get at them or to roll them back.
/// </summary>
public static class VaultApp
{
    // The accounts the host registers. The host passes their passwords in (it must, to register
    // them); what it never gets back is anything derived from them.
    private static readonly (string User, string Password)[] s_accounts =
    [
        ("alice", "correct horse battery staple"),
        ("bob", "Tr0ub4dor&3"),
        ("carol", "sunrise-over-the-fjord-42"),
    ];

    // Carol's second password, for the rollback step; the step sets her first one again at its end.
    private const string CarolsNewPassword = "moonrise-over-the-fjord-43";

    /// <summary>Where the vault's file is kept unless told otherwise: the samples folder of the user's EnclaveGen home.</summary>
    public static string DefaultVaultFolder => Path.Combine(EnclaveGenHome.Resolve(), "samples", "PasswordVault");

    /// <summary>
    /// The program: reads the options, runs the sample, and turns a vault file or platform store it
    /// cannot use into one line on <paramref name="error"/> that says what to do, and a non-zero exit code.
    /// </summary>
    /// <returns>0 when the story ran; 2 when the vault's file or the platform store cannot be used; 64 for bad options.</returns>
    public static async Task<int> MainAsync(string[] args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        string vaultFolder = DefaultVaultFolder;
        EnclaveMode mode = EnclaveMode.Isolated;
        bool startOver = false;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--vault" when i + 1 < args.Length:
                    vaultFolder = Path.GetFullPath(args[++i]);
                    break;
                case "--in-process":
                    mode = EnclaveMode.InProcess;
                    break;
                case "--new":
                    startOver = true;
                    break;
                default:
                    error.WriteLine($"Unknown or incomplete option '{args[i]}'. Usage: PasswordVault [--vault <folder>] [--in-process] [--new]");
                    return 64;
            }
        }

        try
        {
            await RunAsync(output, vaultFolder, mode, startOver);
            return 0;
        }
        catch (TrustedCodeException refused) when (refused.ExceptionTypeName == typeof(ProtectedFileException).FullName)
        {
            // Altered, rolled back, deleted, or written by another signer's enclave (another clone's
            // debug key, say): the enclave refused it and wrote nothing; it may be another build's vault.
            string file = Path.Combine(vaultFolder, Vault.FileName);
            string why = refused.EnclaveMessage ?? "a production enclave keeps the reason inside";
            error.WriteLine(
                $"PasswordVault: {file} cannot be opened by this enclave: {why} It was left as it is. " +
                "To start a new vault, run again with --vault <another folder>, or with --new to replace this one.");
            return 2;
        }
        catch (EnclavePlatformException platform)
        {
            error.WriteLine($"PasswordVault cannot use the emulated platform's store: {platform.Message}");
            return 2;
        }
    }

    /// <summary>Runs the sample.</summary>
    /// <param name="output">Where the story is told.</param>
    /// <param name="vaultFolder">The folder the vault's protected file is kept in between runs (created if missing).</param>
    /// <param name="mode">Isolated (the default, Linux) keeps the enclave's memory out of the host's process.</param>
    /// <param name="startOver">Replace the vault with a new one (needed after its file was deleted: its counter remembers it).</param>
    public static async Task RunAsync(TextWriter output, string vaultFolder, EnclaveMode mode = EnclaveMode.Isolated, bool startOver = false)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentException.ThrowIfNullOrWhiteSpace(vaultFolder);
        output.WriteLine("PasswordVault: password hashes kept inside an enclave, in a protected file on disk between runs.");
        output.WriteLine(mode == EnclaveMode.Isolated
            ? "isolated mode: the enclave runs in a process of its own; the host handles only sealed bytes."
            : "in-process mode: the enclave shares the host's process (an emulation that does not keep the host out of its memory).");
        output.WriteLine("emulated TEE: no enclave hardware here. Root, the kernel and a hypervisor could still read the enclave (docs/runtime.md).");
        output.WriteLine($"vault folder: {vaultFolder}");
        output.WriteLine();

        VaultHost store = new(vaultFolder, output);
        BitFlipper flipper = new();
        EnclaveOptions options = new() { Mode = mode, Interceptor = flipper, FileStorage = store.Storage };

        output.WriteLine("1. Start the enclave and open the vault");
        HashSet<int> enclaveProcesses = [];
        Vault.Proxy vault = await StartAsync(output, store, options, enclaveProcesses, startOver);
        try
        {
            output.WriteLine();
            output.WriteLine($"2. Register accounts (PBKDF2-HMAC-SHA256, {Vault.Iterations:N0} iterations, 16-byte salt, then HMAC with the vault's pepper)");
            HashSet<string> existing = [.. vault.Accounts()];
            foreach ((string user, string password) in s_accounts)
            {
                if (existing.Contains(user))
                {
                    output.WriteLine($"  {user}: already in the vault the enclave unsealed; not registered again");
                    continue;
                }

                output.WriteLine($"  host -> ECALL Register(\"{user}\", <password>)");
                vault.Register(user, password);
            }

            output.WriteLine();
            output.WriteLine("3. Check passwords (the enclave compares hashes in constant time; only accepted/rejected comes out)");
            Check(output, vault, "alice", s_accounts[0].Password, "the right password");
            Check(output, vault, "alice", "correct horse battery stapler", "a wrong password");
            Check(output, vault, "bob", s_accounts[1].Password, "the right password");
            Check(output, vault, "mallory", "hunter2", "no such account; the check costs the same");

            output.WriteLine();
            output.WriteLine("4. Insider attack: tamper with a buffer at the boundary");
            output.WriteLine("  the host flips one bit of the sealed ECALL request for Verify(\"carol\", ...) on its way in");
            flipper.Arm();
            try
            {
                vault.Verify("carol", s_accounts[2].Password);
                output.WriteLine("  host <- an answer: the tampering was NOT detected");
            }
            catch (EnclaveIntegrityException)
            {
                output.WriteLine($"  host <- {nameof(EnclaveIntegrityException)}: the enclave found the message altered and halted");
            }

            try
            {
                vault.Accounts();
                output.WriteLine("  host -> ECALL Accounts(): answered; the enclave did NOT halt");
            }
            catch (EnclaveHaltedException)
            {
                output.WriteLine($"  host -> ECALL Accounts(): {nameof(EnclaveHaltedException)}, a halted enclave refuses every call");
            }

            output.WriteLine("  a fresh enclave takes over from the vault's file:");
            await vault.DisposeAsync();
            vault = await StartAsync(output, store, options, enclaveProcesses);
            Check(output, vault, "carol", s_accounts[2].Password, "the right password");

            output.WriteLine();
            output.WriteLine("5. Insider attack: hand back an older vault (a rollback)");
            vault = await RollBackAsync(output, vault, store, options, enclaveProcesses);

            output.WriteLine();
            output.WriteLine("6. Insider attack: read the enclave's memory");
            await ReadMemoryAsync(output, vault, mode, enclaveProcesses);
        }
        finally
        {
            await vault.DisposeAsync();
        }

        output.WriteLine();
        output.WriteLine(mode == EnclaveMode.Isolated
            ? $"The hashes and the pepper stayed inside the enclave; the host stored only {Vault.FileName}, encrypted under keys sealed to the enclave's signer and bound to a counter."
            : $"The host handled only sealed messages and stored only {Vault.FileName}, but in-process its memory held the enclave's secrets.");
        output.WriteLine("Run the sample again: the next run opens this vault instead of starting a new one.");
    }

    /// <summary>
    /// The host keeps a copy of the vault's file, lets carol change her password, then hands the
    /// old copy back to a fresh enclave: the vault's counter says a newer version was committed,
    /// so the enclave refuses it as rolled back. The newest file opens again.
    /// </summary>
    private static async Task<Vault.Proxy> RollBackAsync(TextWriter output, Vault.Proxy vault, VaultHost store, EnclaveOptions options, HashSet<int> enclaveProcesses)
    {
        byte[] older = File.ReadAllBytes(store.FilePath);
        output.WriteLine($"  the host copies {Vault.FileName} as it is now ({older.Length:N0} bytes)");
        output.WriteLine("  host -> ECALL Register(\"carol\", <a new password>): carol changes her password, and the enclave commits a new version");
        vault.Register("carol", CarolsNewPassword);
        byte[] newest = File.ReadAllBytes(store.FilePath);
        await vault.DisposeAsync();

        output.WriteLine("  the host puts its old copy back, in which carol's old password still works, and starts a fresh enclave");
        File.WriteAllBytes(store.FilePath, older);
        try
        {
            vault = await StartAsync(output, store, options, enclaveProcesses);
            output.WriteLine("  host <- the enclave opened the old copy: the rollback was NOT detected");
        }
        catch (TrustedCodeException refused) when (refused.ExceptionTypeName == typeof(ProtectedFileException).FullName)
        {
            output.WriteLine($"  host <- {nameof(ProtectedFileException)}: {refused.EnclaveMessage ?? "(the message stays inside a production enclave)"}");
            output.WriteLine(refused.EnclaveMessage?.Contains("rolled back", StringComparison.Ordinal) == true
                ? "  the enclave refused the old copy as rolled back: it is authentic, only older than the vault's counter allows"
                : "  the enclave refused the old copy");
        }

        output.WriteLine("  the host puts the newest file back, and a fresh enclave opens it:");
        File.WriteAllBytes(store.FilePath, newest);
        vault = await StartAsync(output, store, options, enclaveProcesses);
        Check(output, vault, "carol", CarolsNewPassword, "her new password");
        Check(output, vault, "carol", s_accounts[2].Password, "her old password");
        output.WriteLine("  host -> ECALL Register(\"carol\", <her first password>): back where the story started");
        vault.Register("carol", s_accounts[2].Password);
        return vault;
    }

    private static async Task<Vault.Proxy> StartAsync(TextWriter output, VaultHost store, EnclaveOptions options, HashSet<int> enclaveProcesses, bool startOver = false)
    {
        HashSet<int> before = options.Mode == EnclaveMode.Isolated ? MemoryAttack.EnclaveChildren() : [];
        Vault.Proxy vault = await Vault.CreateEnclaveAsync(store, options);
        if (options.Mode == EnclaveMode.Isolated)
        {
            enclaveProcesses.Clear();
            enclaveProcesses.UnionWith(MemoryAttack.EnclaveChildren().Except(before));
        }

        output.WriteLine($"  enclave loaded: {vault.Identity.EnclaveTypeName}, {(vault.Identity.IsDebug ? "DEBUG build" : "production build")}, product {vault.Identity.ProductId}, security version {vault.Identity.SecurityVersion}");
        output.WriteLine($"  host -> ECALL Open(startOver: {(startOver ? "true" : "false")})");
        VaultOpened opened;
        try
        {
            opened = vault.Open(startOver);
        }
        catch
        {
            await vault.DisposeAsync();
            throw;
        }

        output.WriteLine(opened.FromSealedFile
            ? $"  host <- opened the vault's protected file written earlier: {opened.Accounts.Length} accounts ({string.Join(", ", opened.Accounts)})"
            : "  host <- no vault file yet: a new vault with a fresh pepper, written to a protected file (MRSIGNER, bound to a counter)");
        return vault;
    }

    private static void Check(TextWriter output, Vault.Proxy vault, string user, string password, string what)
    {
        bool accepted = vault.Verify(user, password);
        output.WriteLine($"  host -> ECALL Verify(\"{user}\", {what}) -> {(accepted ? "accepted" : "rejected")}");
    }

    private static async Task ReadMemoryAsync(TextWriter output, Vault.Proxy vault, EnclaveMode mode, HashSet<int> enclaveProcesses)
    {
        if (!OperatingSystem.IsLinux())
        {
            output.WriteLine("  skipped: the memory attacks read /proc, which only Linux has");
            return;
        }

        output.WriteLine($"  the vault's pepper ({Vault.PepperLength} characters) was made inside the enclave and never sent out;");
        output.WriteLine("  the host asks only for its SHA-256, and scans every readable page of its own memory for text that hashes to it");
        byte[] fingerprint = vault.PepperFingerprint();
        int pepperHits = MemoryAttack.FindInOwnMemory(fingerprint, Vault.PepperLength, Vault.PepperAlphabet);

        // The control: a look-alike secret the host holds itself, searched for the same way.
        string canary = RandomNumberGenerator.GetString(Vault.PepperAlphabet, Vault.PepperLength);
        int canaryHits = MemoryAttack.FindInOwnMemory(SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(canary)), Vault.PepperLength, Vault.PepperAlphabet);
        GC.KeepAlive(canary);

        output.WriteLine($"  the pepper in the host's memory: {(pepperHits == 0 ? "not found" : "FOUND")}");
        output.WriteLine($"  control, a look-alike secret the host made itself, same scan: {(canaryHits > 0 ? "found" : "NOT found (the scan is broken)")}");
        if (mode != EnclaveMode.Isolated)
        {
            output.WriteLine("  in-process mode: the enclave's memory is the host's memory, so the pepper is there to find; run isolated to keep it out");
            return;
        }

        if (enclaveProcesses.Count != 1)
        {
            output.WriteLine($"  could not tell which process is this vault's enclave ({enclaveProcesses.Count} candidates); /proc/<enclave pid>/mem not tried");
            return;
        }

        string? refusal = MemoryAttack.TryReadProcessMemory(enclaveProcesses.Single());
        bool root = MemoryAttack.IsRoot();
        output.WriteLine("  the host opens its enclave process's memory, /proc/<enclave pid>/mem, and reads from it:");
        if (refusal is not null)
        {
            output.WriteLine($"    refused ({refusal}): the enclave process is not dumpable, so no other process of this user may read it");
        }
        else if (root)
        {
            output.WriteLine("    it worked, because this host runs as root: root (CAP_SYS_PTRACE) reads any process's memory, the enclave's included.");
            output.WriteLine("    Isolated mode keeps out processes of non-root users, not root (docs/runtime.md). Run as an ordinary user to see the refusal.");
        }
        else
        {
            output.WriteLine("    it worked: the enclave process is READABLE by this non-root host, which isolated mode should prevent");
        }

        // The control: an ordinary child process of the same user, which the host may read.
        string? controlRefusal = MemoryAttack.TryReadOrdinaryChildMemory();
        output.WriteLine($"  control, the same read from an ordinary child process of this user: {(controlRefusal is null ? "it worked" : $"refused too ({controlRefusal})")}");
    }
}
