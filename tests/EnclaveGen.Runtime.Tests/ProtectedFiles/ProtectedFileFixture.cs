using EnclaveGen.Runtime.Counters;
using EnclaveGen.Runtime.ProtectedFiles;

namespace EnclaveGen.Runtime.Tests.ProtectedFiles;

/// <summary>What the protected-file tests share: a platform, a host storage they can tamper with, and identities.</summary>
public abstract class ProtectedFileFixture : IDisposable
{
    internal static readonly EnclaveHash EnclaveA = EnclaveHash.Compute("files enclave A"u8);
    internal static readonly EnclaveHash EnclaveB = EnclaveHash.Compute("files enclave B"u8);
    internal static readonly EnclaveHash Signer = EnclaveHash.Compute("files signer"u8);

    internal EnclavePlatform Platform { get; } = EnclavePlatform.CreateInMemory();

    internal MemoryFileStorage Storage { get; } = new();

    public void Dispose()
    {
        Platform.Dispose();
        GC.SuppressFinalize(this);
    }

    internal static EnclaveIdentity Identity(EnclaveHash? mrenclave = null, EnclaveHash? mrsigner = null, ushort svn = 0, bool debug = true) =>
        EnclaveIdentity.CreateForTesting("Tests.Files", mrenclave ?? EnclaveA, mrsigner ?? Signer, productId: 7, securityVersion: svn, isDebug: debug);

    internal ProtectedFileService Service(EnclaveIdentity? identity = null, EnclavePlatform? platform = null) =>
        new(platform ?? Platform, identity ?? Identity(), Storage);

    internal static ProtectedFileOptions Options(bool rollbackProtection = false, int cacheBytes = 1024 * 1024) =>
        new() { RollbackProtection = rollbackProtection, CacheBytes = cacheBytes };

    internal static byte[] RandomBytes(int length, int seed)
    {
        byte[] bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    internal void WriteFile(string name, byte[] content, bool rollbackProtection = false, EnclaveIdentity? identity = null, SealingPolicy policy = SealingPolicy.MrSigner)
    {
        using ProtectedFileStream stream = Service(identity).Open(name, FileMode.Create, policy, Options(rollbackProtection));
        stream.Write(content);
    }

    internal byte[] ReadFile(string name, EnclaveIdentity? identity = null, SealingPolicy policy = SealingPolicy.MrSigner, ProtectedFileService? service = null)
    {
        using ProtectedFileStream stream = (service ?? Service(identity)).Open(name, FileMode.Open, FileAccess.Read, policy);
        using MemoryStream copy = new();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>The file's counter ID, as the runtime derives it (for tests that play a counter store reset).</summary>
    internal static string FileCounterId(string name, EnclaveIdentity? identity = null, SealingPolicy policy = SealingPolicy.MrSigner, EnclavePlatform? platform = null) =>
        new EnclaveCounterService(platform ?? EnclavePlatform.CreateInMemory(), identity ?? Identity()).IdFor(CounterKind.ProtectedFile, name, policy);

    internal ulong? CounterOf(string name) => Platform.MonotonicCounters!.Read(FileCounterId(name));

    /// <summary>Sets a counter back, as a host that controls the platform store can (or as a crash between a commit and its increment leaves it).</summary>
    internal void SetCounter(string name, ulong value)
    {
        byte[] record = new byte[9];
        record[0] = 1;
        BitConverter.TryWriteBytes(record.AsSpan(1), value);
        Platform.SetEntry("counters/" + FileCounterId(name), record);
    }

    /// <summary>Flips one bit of the host's copy of <paramref name="name"/>, in byte <paramref name="byteInBlock"/> of its physical block <paramref name="physicalBlock"/>.</summary>
    internal void FlipHostBit(string name, long physicalBlock, int byteInBlock)
    {
        byte[] host = Storage.Get(name)!;
        host[(physicalBlock * ProtectedFileLayout.BlockSize) + byteInBlock] ^= 1;
        Storage.Set(name, host);
    }

    /// <summary>Reads the rest of <paramref name="stream"/> in reads of <paramref name="readSize"/> bytes.</summary>
    internal static byte[] ReadInPieces(Stream stream, int readSize)
    {
        using MemoryStream copy = new();
        byte[] buffer = new byte[readSize];
        int read;
        while ((read = stream.Read(buffer)) > 0)
        {
            copy.Write(buffer, 0, read);
        }

        return copy.ToArray();
    }

    internal static ProtectedFileException Refused(Action action) => Assert.Throws<ProtectedFileException>(action);
}
