using System.Security.Cryptography;

namespace EnclaveGen.Runtime.Crypto;

/// <summary>
/// The boundary AEAD over .NET's <see cref="AesGcm"/>, for CPUs without AES-NI and PCLMULQDQ.
/// </summary>
/// <remarks>
/// An <see cref="AesGcm"/> instance keeps per-call state in its native context (OpenSSL's
/// EVP_CIPHER_CTX on Linux) and is not documented as thread-safe, while the boundary contract
/// lets several threads share one context. So this keeps a small pool of instances, one per
/// concurrent caller up to twice the processor count, each guarded by an interlocked flag:
/// a call takes a free instance, uses it and gives it back, without allocating. Instances are
/// made on first use of their slot; a caller that finds every slot busy spins, then yields.
/// </remarks>
internal sealed class PlatformAesGcm : IBoundaryAead
{
    // One flag per cache line so threads that take neighbouring slots do not contend.
    private const int FlagStride = 16;

    private readonly byte[] _key;
    private readonly AesGcm?[] _instances;
    private readonly int[] _busy;
    private volatile bool _disposed;

    /// <summary>Creates a pool keyed with <paramref name="key"/> (32 bytes).</summary>
    public PlatformAesGcm(ReadOnlySpan<byte> key)
    {
        if (key.Length != BoundaryAead.KeySize)
        {
            throw new ArgumentException($"The boundary key must be {BoundaryAead.KeySize} bytes (AES-256); got {key.Length}.", nameof(key));
        }

        if (!IsSupported)
        {
            throw new PlatformNotSupportedException("This platform has no AES-GCM (System.Security.Cryptography.AesGcm.IsSupported is false).");
        }

        // Pinned so the garbage collector never leaves a stray copy of the key behind when it compacts.
        _key = GC.AllocateArray<byte>(BoundaryAead.KeySize, pinned: true);
        key.CopyTo(_key);
        int slots = Math.Max(4, Environment.ProcessorCount * 2);
        _instances = new AesGcm?[slots];
        _busy = new int[slots * FlagStride];

        // Make the first instance now, so a bad key or a missing platform fails here and not on first use.
        _instances[0] = new AesGcm(_key, BoundaryAead.TagSize);
    }

    /// <summary>Whether the platform provides AES-GCM.</summary>
    public static bool IsSupported => AesGcm.IsSupported;

    /// <inheritdoc/>
    public void Seal(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> plaintext, Span<byte> ciphertext, Span<byte> tag, ReadOnlySpan<byte> associatedData)
    {
        BoundaryAead.CheckArguments(nonce, plaintext, ciphertext, tag, nameof(plaintext), nameof(ciphertext));
        int slot = Rent();
        try
        {
            Instance(slot).Encrypt(nonce, plaintext, ciphertext, tag, associatedData);
        }
        finally
        {
            Return(slot);
        }
    }

    /// <inheritdoc/>
    public bool Open(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> tag, Span<byte> plaintext, ReadOnlySpan<byte> associatedData)
    {
        BoundaryAead.CheckArguments(nonce, ciphertext, plaintext, tag, nameof(ciphertext), nameof(plaintext));
        int slot = Rent();
        try
        {
            Instance(slot).Decrypt(nonce, ciphertext, tag, plaintext, associatedData);
            return true;
        }
        catch (AuthenticationTagMismatchException)
        {
            // AesGcm already zeroes the output on a mismatch; clear again so the contract does not
            // depend on that detail. (This path allocates the exception: tampering is not steady state.)
            plaintext.Clear();
            return false;
        }
        finally
        {
            Return(slot);
        }
    }

    /// <summary>Disposes every pooled instance (waiting for calls in flight) and zeroes the key copy.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        for (int slot = 0; slot < _instances.Length; slot++)
        {
            // Take each slot for good: a call still running finishes first, and no later call gets it.
            var spinner = default(SpinWait);
            while (Interlocked.CompareExchange(ref _busy[slot * FlagStride], 1, 0) != 0)
            {
                spinner.SpinOnce();
            }

            _instances[slot]?.Dispose();
            _instances[slot] = null;
        }

        CryptographicOperations.ZeroMemory(_key);
    }

    private AesGcm Instance(int slot) => _instances[slot] ??= new AesGcm(_key, BoundaryAead.TagSize);

    private int Rent()
    {
        int slots = _instances.Length;
        int start = (int)((uint)Environment.CurrentManagedThreadId % (uint)slots);
        var spinner = default(SpinWait);
        while (true)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            for (int i = 0; i < slots; i++)
            {
                int slot = start + i;
                if (slot >= slots)
                {
                    slot -= slots;
                }

                ref int flag = ref _busy[slot * FlagStride];
                if (Volatile.Read(ref flag) == 0 && Interlocked.CompareExchange(ref flag, 1, 0) == 0)
                {
                    if (_disposed)
                    {
                        // Dispose began after the check above; let it have the slot.
                        Volatile.Write(ref flag, 0);
                        ObjectDisposedException.ThrowIf(true, this);
                    }

                    return slot;
                }
            }

            spinner.SpinOnce();
        }
    }

    private void Return(int slot) => Volatile.Write(ref _busy[slot * FlagStride], 0);
}
