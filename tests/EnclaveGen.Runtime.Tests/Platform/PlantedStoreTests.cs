using System.Buffers.Text;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using EnclaveGen.Runtime.Platform;
using EnclaveGen.Runtime.Sealing;
using EnclaveGen.Tests;

namespace EnclaveGen.Runtime.Tests.Platform;

/// <summary>
/// Another user plants a platform store (whose root key they know) in a home they can write to, or
/// owns the files in it: the platform refuses the home and says how to fix the permissions. And the
/// root key read from the store leaves no copies behind in the process's memory.
/// </summary>
public sealed class PlantedStoreTests : IDisposable
{
    private const int OtherUser = 65534;
    private readonly string _root = Directory.CreateTempSubdirectory("egplant").FullName;

    private string Home => Path.Combine(_root, "home");

    private string Store => Path.Combine(Home, "platform.json");

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Theory]
    [InlineData(0b111_111_111)]   // 0777: anyone can plant files
    [InlineData(0b111_111_000)]   // 0770: the group can
    [InlineData(0b111_101_111)]   // 0757: others can, the group cannot
    public void AHomeThatOthersCanWriteToIsRefusedWithTheChmod(int mode)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        Directory.CreateDirectory(Home);
        File.SetUnixFileMode(Home, (UnixFileMode)mode);

        EnclavePlatformException error = Assert.Throws<EnclavePlatformException>(() => EnclavePlatform.OpenUserStore(Home));
        Assert.Contains($"'{Home}'", error.Message, StringComparison.Ordinal);
        Assert.Contains("too open", error.Message, StringComparison.Ordinal);
        Assert.Contains($"chmod 700 '{Home}'", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Store), "A refused home gets no store written into it.");
    }

    [Fact]
    public void APlatformStorePlantedByAnotherUserIsRefused()
    {
        if (!FileOwnership.OwnersKnown || FileOwnership.CurrentUser != 0)
        {
            return; // Planting a file owned by another user needs root (CI runs the tests as root).
        }

        // The attacker's store: a root key they chose, so they could unseal whatever the victim seals with it.
        Directory.CreateDirectory(Home, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        byte[] attackerKey = new byte[EnclavePlatform.RootKeyLength];
        File.WriteAllText(Store, $"{{\"format\":\"enclavegen-platform\",\"version\":1,\"rootKey\":\"{Convert.ToBase64String(attackerKey)}\",\"entries\":{{}}}}");
        File.SetUnixFileMode(Store, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Chown(Store, OtherUser);

        EnclavePlatformException error = Assert.Throws<EnclavePlatformException>(() => EnclavePlatform.OpenUserStore(Home));
        Assert.Contains($"owned by user {OtherUser}", error.Message, StringComparison.Ordinal);
        Assert.Contains($"chown 0 '{Store}'", error.Message, StringComparison.Ordinal);

        // The same for a home folder another user owns.
        File.Delete(Store);
        Chown(Home, OtherUser);
        error = Assert.Throws<EnclavePlatformException>(() => EnclavePlatform.OpenUserStore(Home));
        Assert.Contains($"EnclaveGen home '{Home}' is owned by user {OtherUser}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AStoreOthersCanWriteIsRefused()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using (EnclavePlatform.OpenUserStore(Home))
        {
        }

        File.SetUnixFileMode(Store, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupWrite);
        EnclavePlatformException error = Assert.Throws<EnclavePlatformException>(() => EnclavePlatform.OpenUserStore(Home));
        Assert.Contains($"chmod 600 '{Store}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheRootKeyLeavesNoCopiesInMemoryAfterReadsAndWrites()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        // A store whose root key this test knows only by fingerprints: the first four bytes and the
        // SHA-256 of the key, of its base64 text in UTF-8, and of that text in UTF-16.
        // The test's own copies are pinned, as the platform's is: a garbage collection (other tests
        // allocate in parallel) would otherwise move them and leave the old bytes where the scan finds them.
        Directory.CreateDirectory(Home, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        byte[] key = GC.AllocateArray<byte>(EnclavePlatform.RootKeyLength, pinned: true);
        RandomNumberGenerator.Fill(key);
        byte[] base64 = GC.AllocateArray<byte>(Base64.GetMaxEncodedToUtf8Length(key.Length), pinned: true);
        Base64.EncodeToUtf8(key, base64, out _, out int written);
        byte[] utf16 = GC.AllocateArray<byte>(64, pinned: true);
        for (int i = 0; i < 32; i++)
        {
            utf16[2 * i] = base64[i];
        }

        (byte[] Prefix, byte[] Hash)[] fingerprints = [Fingerprint(key), Fingerprint(base64.AsSpan(0, 32)), Fingerprint(utf16.AsSpan(0, 32))];
        ReadOnlySpan<byte> head = "{\"format\":\"enclavegen-platform\",\"version\":1,\"rootKey\":\""u8;
        ReadOnlySpan<byte> tail = "\",\"entries\":{}}"u8;
        byte[] json = GC.AllocateArray<byte>(head.Length + written + tail.Length, pinned: true);
        head.CopyTo(json);
        base64.AsSpan(0, written).CopyTo(json.AsSpan(head.Length));
        tail.CopyTo(json.AsSpan(head.Length + written));
        AtomicFile.WriteAllBytes(Store, json);
        CryptographicOperations.ZeroMemory(key);
        CryptographicOperations.ZeroMemory(base64);
        CryptographicOperations.ZeroMemory(utf16);
        CryptographicOperations.ZeroMemory(json);

        // Compacting collections all along, as other tests' allocations cause at random: a buffer
        // that held the key's text unpinned would be moved and leave its old bytes behind.
        using CancellationTokenSource stop = new();
        Thread compactor = new(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
                Thread.Sleep(1);
            }
        }) { IsBackground = true };
        compactor.Start();

        using EnclavePlatform platform = EnclavePlatform.OpenUserStore(Home);
        EnclaveIdentity identity = EnclaveIdentity.CreateForTesting("T", EnclaveHash.Compute("e"u8), EnclaveHash.Compute("s"u8));
        byte[] blob = new SealingService(platform, identity).Seal("x"u8, SealingPolicy.MrEnclave);
        for (int i = 0; i < 200; i++)
        {
            platform.SetEntry($"entry-{i % 4}", Encoding.UTF8.GetBytes($"value {i}"));
            Assert.NotNull(platform.GetEntry($"entry-{i % 4}"));
        }

        Assert.Equal("x"u8.ToArray(), new SealingService(platform, identity).Unseal(blob));
        stop.Cancel();
        compactor.Join();

        // The platform's own copy is the one the key must have; none of its encodings may linger.
        Assert.InRange(MemoryScanner.Scan("self", fingerprints[0].Prefix, fingerprints[0].Hash).Hits, 0, 1);
        Assert.Equal(0, MemoryScanner.Scan("self", fingerprints[1].Prefix, fingerprints[1].Hash).Hits);
        Assert.Equal(0, MemoryScanner.Scan("self", fingerprints[2].Prefix, fingerprints[2].Hash).Hits);
    }

    private static (byte[] Prefix, byte[] Hash) Fingerprint(ReadOnlySpan<byte> value) => (value[..4].ToArray(), SHA256.HashData(value[..32]));

    private static void Chown(string path, int user)
    {
        using Process chown = Process.Start(new ProcessStartInfo("chown", [user.ToString(System.Globalization.CultureInfo.InvariantCulture), path]) { UseShellExecute = false })!;
        chown.WaitForExit();
        Assert.Equal(0, chown.ExitCode);
    }
}
