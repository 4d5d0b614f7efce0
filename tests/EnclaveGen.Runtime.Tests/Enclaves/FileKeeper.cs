using EnclaveGen;
using EnclaveGen.Runtime.ProtectedFiles;

namespace EnclaveGen.Runtime.Tests.Enclaves;

/// <summary>An enclave that keeps its state in protected files and counters, as a real one would.</summary>
[Enclave]
public partial class FileKeeper
{
    // The caller chooses how much to read: the enclave caps it.
    private const int MaxRead = 1024 * 1024;

    private ProtectedFileStream? _kept;

    [Trusted]
    public void WriteAt(string name, long offset, byte[] data, bool rollbackProtection)
    {
        using ProtectedFileStream file = EnclaveFiles.Open(name, FileMode.OpenOrCreate, SealingPolicy.MrSigner, new ProtectedFileOptions { RollbackProtection = rollbackProtection });
        file.Position = offset;
        file.Write(data);
    }

    [Trusted]
    public byte[] ReadAt(string name, long offset, int count)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, MaxRead);
        using ProtectedFileStream file = EnclaveFiles.Open(name, FileMode.Open, FileAccess.Read, SealingPolicy.MrSigner);
        file.Position = offset;
        byte[] buffer = new byte[count];
        int read = file.ReadAtLeast(buffer, count, throwOnEndOfStream: false);
        return Secrets.Declassify(buffer[..read], "test: shows what the file holds");
    }

    /// <summary>Opens the file and reads it all; "ok", or the reason it was refused.</summary>
    [Trusted]
    public string Check(string name)
    {
        try
        {
            using ProtectedFileStream file = EnclaveFiles.Open(name, FileMode.Open, FileAccess.Read, SealingPolicy.MrSigner);
            file.CopyTo(Stream.Null);
            return "ok";
        }
        catch (ProtectedFileException error)
        {
            return error.Reason.ToString();
        }
    }

    /// <summary>Keeps a stream open across ECALLs: each read leaves through the ECALL running at the time.</summary>
    [Trusted]
    public void Keep(string name) => _kept = EnclaveFiles.Open(name, FileMode.Open, FileAccess.Read, SealingPolicy.MrSigner);

    [Trusted]
    public byte[] ReadKept(long offset, int count)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, MaxRead);
        ProtectedFileStream kept = _kept ?? throw new InvalidOperationException("Call Keep first.");
        kept.Position = offset;
        byte[] buffer = new byte[count];
        kept.ReadExactly(buffer);
        return Secrets.Declassify(buffer, "test: shows what the file holds");
    }

    [Trusted]
    public void Release()
    {
        _kept?.Dispose();
        _kept = null;
    }

    [Trusted]
    public ulong CountUp(string name)
    {
        if (!EnclaveCounters.IsAvailable)
        {
            return ulong.MaxValue;
        }

        try
        {
            return EnclaveCounters.Increment(name);
        }
        catch (MonotonicCounterException error) when (error.Reason == MonotonicCounterFailure.NotFound)
        {
            EnclaveCounters.Create(name);
            return EnclaveCounters.Increment(name);
        }
    }

    [Trusted]
    public byte[] SealVersion(string text) => EnclaveSealing.SealWithCounter(System.Text.Encoding.UTF8.GetBytes(text), SealingPolicy.MrSigner, "note");

    /// <summary>The text, or the reason it was refused.</summary>
    [Trusted]
    public string UnsealVersion(byte[] blob)
    {
        try
        {
            return Secrets.Declassify(System.Text.Encoding.UTF8.GetString(EnclaveSealing.Unseal(blob)), "test: shows what unsealed");
        }
        catch (EnclaveSealingException error)
        {
            return error.Reason.ToString();
        }
    }
}
