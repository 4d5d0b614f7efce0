using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using System.Security.Cryptography;
using Aes = System.Runtime.Intrinsics.X86.Aes;

namespace EnclaveGen.Runtime.Crypto;

/// <summary>
/// AES-256-GCM (96-bit nonce, 128-bit tag) on AES-NI and PCLMULQDQ, keyed once: the key schedule
/// and the powers of the hash key H are computed in the constructor and kept in pinned memory.
/// </summary>
/// <remarks>
/// <para>
/// Layout of the work, per call: the counter blocks are encrypted eight at a time so the AES
/// units stay busy; GHASH multiplies eight blocks by H^8..H^1 (when reading from memory, sixteen by
/// H^16..H^1 with VPCLMULQDQ on 256-bit vectors) and reduces once per batch (aggregated reduction, Gueron and Kounavis,
/// "Intel Carry-Less Multiplication Instruction and its Usage for Computing the GCM Mode"). The
/// field arithmetic follows the byte-reflected convention: each block is byte-reversed, H is
/// stored pre-multiplied by x so the product needs no 1-bit shift, and the 256-bit product is
/// reduced with two carry-less multiplications by 0xC2000000_00000000 (as in Go's and
/// BoringSSL's AES-GCM assembly). Karatsuba keys (H.hi xor H.lo) are precomputed too.
/// </para>
/// <para>
/// Messages up to seven blocks, the boundary's common case, take a short path: one batch of
/// eight AES blocks (E(J0) and up to seven counters) and one GHASH batch over the associated
/// data, the ciphertext and the length block, with a single reduction.
/// </para>
/// <para>
/// <see cref="Open"/> authenticates before it writes anything: it hashes the ciphertext, compares
/// tags in constant time (one 16-byte vector comparison, no early exit), and only then decrypts. No
/// branch or memory address depends on the key or the data; only on lengths, which are public.
/// </para>
/// <para>
/// Every method that loops over a long message's blocks is compiled optimized at its first call
/// (<see cref="MethodImplOptions.AggressiveOptimization"/>) and the small helpers are always
/// inlined: unoptimized (tier-0) code calls each helper and keeps vectors in memory, which made a
/// process's first large crossings about ten times slower than later ones (docs/crypto.md). The
/// short-message path (<see cref="Seal"/>, <see cref="Open"/> and what they call for up to seven
/// blocks) is left to tiered compilation on purpose: its tier-1 code, with profile-guided
/// optimization, sealed 64 bytes in 43 ns where the always-optimized version took 49 ns, and its
/// tier-0 calls cost nanoseconds, not milliseconds.
/// </para>
/// </remarks>
[SkipLocalsInit]
internal sealed unsafe partial class HardwareAesGcm : ISegmentedAead
{
    private const int Rounds = 14;
    private const int PowerCount = 16;

    // Offsets, in bytes, into the 64-byte-aligned key block.
    private const int RoundKeys128Offset = 0;                                   // 15 x 16
    private const int Powers128Offset = 256;                                    // 16 x 16: H^1..H^16
    private const int Karatsuba128Offset = Powers128Offset + (PowerCount * 16);  // 16 x 16
    private const int Powers256Offset = Karatsuba128Offset + (PowerCount * 16);  // 8 x 32: (H^16,H^15), (H^14,H^13), ..
    private const int Karatsuba256Offset = Powers256Offset + (PowerCount * 16);  // 8 x 32
    private const int KeyBlockSize = Karatsuba256Offset + (PowerCount * 16);
    private const int Alignment = 64;

    private readonly byte[] _keyBlock;
    private readonly byte* _base;
    private readonly bool _useVector256;
    private volatile bool _disposed;

    /// <summary>Expands <paramref name="key"/> (32 bytes) and precomputes H^1..H^16.</summary>
    /// <param name="key">The AES-256 key.</param>
    /// <param name="useVector256">Hash long associated data and Open's ciphertext with VPCLMULQDQ on 256-bit vectors, 16 blocks per batch.</param>
    public HardwareAesGcm(ReadOnlySpan<byte> key, bool useVector256)
    {
        if (key.Length != BoundaryAead.KeySize)
        {
            throw new ArgumentException($"The boundary key must be {BoundaryAead.KeySize} bytes (AES-256); got {key.Length}.", nameof(key));
        }

        if (!IsSupported || (useVector256 && !IsVector256Supported))
        {
            throw new PlatformNotSupportedException(
                useVector256
                    ? "This CPU lacks AVX2 or VPCLMULQDQ; create the 128-bit variant or use BoundaryAead.Create."
                    : "This CPU lacks AES-NI, PCLMULQDQ or SSSE3; use the platform implementation (BoundaryAead.Create picks it).");
        }

        _useVector256 = useVector256;

        // On the pinned object heap, so the garbage collector never copies the key schedule around
        // and the raw pointer below stays valid for the object's life (even after Dispose zeroes it).
        _keyBlock = GC.AllocateArray<byte>(KeyBlockSize + Alignment, pinned: true);
        byte* raw = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_keyBlock));
        _base = (byte*)(((nuint)raw + (Alignment - 1)) & ~(nuint)(Alignment - 1));

        fixed (byte* k = key)
        {
            ExpandKey(k, RoundKeys);
        }

        Vector128<byte>* rk = RoundKeys;

        // H = E_K(0^128), byte-reversed, then multiplied by x so products need no final shift.
        Vector128<ulong> h = Ssse3.Shuffle(EncryptBlock(rk, Vector128<byte>.Zero), ByteSwapMask).AsUInt64();
        h = MultiplyByX(h);
        Vector128<ulong>* powers = Powers;
        Vector128<ulong>* karatsuba = Karatsuba;
        powers[0] = h;
        karatsuba[0] = KaratsubaKey(h);
        for (int i = 1; i < PowerCount; i++)
        {
            Vector128<ulong> lo = default, hi = default, mid = default;
            MultiplyAccumulate(powers[i - 1], h, karatsuba[0], ref lo, ref hi, ref mid);
            powers[i] = Reduce(lo, hi, mid);
            karatsuba[i] = KaratsubaKey(powers[i]);
        }

        Vector256<ulong>* powers256 = (Vector256<ulong>*)(_base + Powers256Offset);
        Vector256<ulong>* karatsuba256 = (Vector256<ulong>*)(_base + Karatsuba256Offset);
        for (int pair = 0; pair < PowerCount / 2; pair++)
        {
            // Pair p multiplies blocks 2p and 2p+1 of a 16-block batch: by H^(16-2p) and H^(15-2p).
            int upper = PowerCount - (2 * pair) - 1;
            powers256[pair] = Vector256.Create(powers[upper], powers[upper - 1]);
            karatsuba256[pair] = Vector256.Create(karatsuba[upper], karatsuba[upper - 1]);
        }
    }

    /// <summary>Whether the CPU has AES-NI, PCLMULQDQ, SSSE3 and SSE4.1.</summary>
    public static bool IsSupported => Aes.IsSupported && Pclmulqdq.IsSupported && Ssse3.IsSupported && Sse41.IsSupported;

    /// <summary>Whether the CPU also has AVX2 and VPCLMULQDQ (carry-less multiplication on 256-bit vectors).</summary>
    public static bool IsVector256Supported => IsSupported && Avx2.IsSupported && Pclmulqdq.V256.IsSupported;

    /// <summary>Whether this instance uses 256-bit vectors for long buffers.</summary>
    public bool UsesVector256 => _useVector256;

    private static Vector128<byte> ByteSwapMask
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector128.Create((byte)15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0);
    }

    private static Vector256<byte> ByteSwapMask256
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Vector256.Create((byte)15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0);
    }

    // 16 bytes of 0xFF then 16 of zero: loading 16 bytes at offset (16 - n) gives a mask of n leading 0xFF bytes.
    private static ReadOnlySpan<byte> TailMaskTable
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get =>
        [
            0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
            0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        ];
    }

    private Vector128<byte>* RoundKeys => (Vector128<byte>*)(_base + RoundKeys128Offset);

    private Vector128<ulong>* Powers => (Vector128<ulong>*)(_base + Powers128Offset);

    private Vector128<ulong>* Karatsuba => (Vector128<ulong>*)(_base + Karatsuba128Offset);

    private Vector256<ulong>* Powers256 => (Vector256<ulong>*)(_base + Powers256Offset);

    private Vector256<ulong>* Karatsuba256 => (Vector256<ulong>*)(_base + Karatsuba256Offset);

    // Seal and Open are never inlined: a guarded devirtualization would otherwise pull their pinned
    // spans and vectors into the boundary's own methods (SlotChannel.Seal inside the connection's
    // Invoke, SlotChannel.Open), whose frames then grew to 600-750 bytes zeroed on every call and
    // whose inlining budget ran out before the span and counter helpers here (docs/performance.md).

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public void Seal(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> plaintext, Span<byte> ciphertext, Span<byte> tag, ReadOnlySpan<byte> associatedData)
    {
        BoundaryAead.CheckArguments(nonce, plaintext, ciphertext, tag, nameof(plaintext), nameof(ciphertext));
        ObjectDisposedException.ThrowIf(_disposed, this);

        fixed (byte* n = nonce)
        fixed (byte* input = plaintext)
        fixed (byte* output = ciphertext)
        fixed (byte* t = tag)
        fixed (byte* aad = associatedData)
        {
            Vector128<uint> counter = InitialCounter(n);
            Vector128<ulong> lengths = LengthBlock(associatedData.Length, plaintext.Length);
            nuint length = (nuint)plaintext.Length;
            Vector128<byte> s;
            if (length <= 7 * 16)
            {
                s = SealShort(counter, input, output, length, aad, (nuint)associatedData.Length, lengths);
            }
            else
            {
                s = SealLong(counter, input, output, length, aad, (nuint)associatedData.Length, lengths);
            }

            Vector128.Store(s, t);
        }
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public bool Open(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> tag, Span<byte> plaintext, ReadOnlySpan<byte> associatedData)
    {
        BoundaryAead.CheckArguments(nonce, ciphertext, plaintext, tag, nameof(ciphertext), nameof(plaintext));
        ObjectDisposedException.ThrowIf(_disposed, this);

        bool authentic;
        fixed (byte* n = nonce)
        fixed (byte* input = ciphertext)
        fixed (byte* output = plaintext)
        fixed (byte* aad = associatedData)
        {
            Vector128<uint> counter = InitialCounter(n);
            Vector128<ulong> lengths = LengthBlock(associatedData.Length, ciphertext.Length);
            nuint length = (nuint)ciphertext.Length;
            authentic = length <= 7 * 16
                ? OpenShort(counter, input, output, length, aad, (nuint)associatedData.Length, lengths, tag)
                : OpenLong(counter, input, output, length, aad, (nuint)associatedData.Length, lengths, tag);
        }

        if (!authentic)
        {
            plaintext.Clear();
        }

        return authentic;
    }

    /// <summary>Zeroes the key schedule and the powers of H; later calls throw <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        _disposed = true;
        CryptographicOperations.ZeroMemory(_keyBlock);
    }

    // Seal for at most seven blocks: E(J0) and every counter block in one batch of eight, then one
    // GHASH batch (with a single reduction) when the associated data is short too.
    private Vector128<byte> SealShort(
        Vector128<uint> counter, byte* input, byte* output, nuint length, byte* aad, nuint aadLength, Vector128<ulong> lengths)
    {
        Vector128<byte>* keystream = stackalloc Vector128<byte>[8];
        EncryptCounters8(counter, 0, keystream);

        // Ciphertext blocks, zero-padded, for GHASH.
        Vector128<byte>* blocks = stackalloc Vector128<byte>[7];
        nuint full = length / 16;
        nuint rest = length % 16;
        for (nuint i = 0; i < full; i++)
        {
            Vector128<byte> c = Vector128.Load(input + (i * 16)) ^ keystream[i + 1];
            Vector128.Store(c, output + (i * 16));
            blocks[i] = c;
        }

        if (rest != 0)
        {
            Vector128<byte> c = (LoadPartial(input + (full * 16), rest) ^ keystream[full + 1]) & TailMask(rest);
            StorePartial(c, output + (full * 16), rest);
            blocks[full] = c;
        }

        nuint blockCount = full + (rest != 0 ? 1u : 0u);
        Vector128<ulong> hash = GhashShortMessage(aad, aadLength, blocks, blockCount, lengths);
        return Ssse3.Shuffle(hash.AsByte(), ByteSwapMask) ^ keystream[0];
    }

    private bool OpenShort(
        Vector128<uint> counter, byte* input, byte* output, nuint length, byte* aad, nuint aadLength, Vector128<ulong> lengths,
        ReadOnlySpan<byte> tag)
    {
        // The keystream does not depend on the tag check, so it is computed alongside GHASH; nothing
        // reaches the output until the tag has matched.
        Vector128<byte>* keystream = stackalloc Vector128<byte>[8];
        EncryptCounters8(counter, 0, keystream);

        Vector128<byte>* blocks = stackalloc Vector128<byte>[7];
        nuint full = length / 16;
        nuint rest = length % 16;
        for (nuint i = 0; i < full; i++)
        {
            blocks[i] = Vector128.Load(input + (i * 16));
        }

        if (rest != 0)
        {
            blocks[full] = LoadPartial(input + (full * 16), rest);
        }

        nuint blockCount = full + (rest != 0 ? 1u : 0u);
        Vector128<ulong> hash = GhashShortMessage(aad, aadLength, blocks, blockCount, lengths);
        Vector128<byte> expected = Ssse3.Shuffle(hash.AsByte(), ByteSwapMask) ^ keystream[0];
        if (!TagsEqual(expected, tag))
        {
            return false;
        }

        for (nuint i = 0; i < full; i++)
        {
            Vector128.Store(blocks[i] ^ keystream[i + 1], output + (i * 16));
        }

        if (rest != 0)
        {
            StorePartial(blocks[full] ^ keystream[full + 1], output + (full * 16), rest);
        }

        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private Vector128<byte> SealLong(
        Vector128<uint> counter, byte* input, byte* output, nuint length, byte* aad, nuint aadLength, Vector128<ulong> lengths)
    {
        // Both variants hash the ciphertext straight from the registers that produced it, 8 blocks
        // per batch (SealPiece): hashing 16 at a time with 256-bit loads of what 128-bit stores
        // just wrote defeats store-to-load forwarding and measured slower (about 3x at 1 KiB).
        Vector128<byte> encryptedJ0 = EncryptBlock(RoundKeys, Ssse3.Shuffle(counter.AsByte(), ByteSwapMask));
        Vector128<ulong> hash = GhashBuffer(Vector128<ulong>.Zero, aad, aadLength);
        hash = SealPiece(counter, 0, input, output, length, hash);
        hash = GhashBlocksWithLengths(hash, null, 0, lengths);
        return Ssse3.Shuffle(hash.AsByte(), ByteSwapMask) ^ encryptedJ0;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool OpenLong(
        Vector128<uint> counter, byte* input, byte* output, nuint length, byte* aad, nuint aadLength, Vector128<ulong> lengths,
        ReadOnlySpan<byte> tag)
    {
        // Authenticate first (one pass of GHASH), then decrypt (one pass of CTR): unauthenticated
        // plaintext never reaches the caller's buffer, not even for a moment.
        if (!TagsEqual(ExpectedTagLong(counter, input, length, aad, aadLength, lengths), tag))
        {
            return false;
        }

        Ctr(counter, 0, input, output, length);
        return true;
    }

    // The tag a message of any length must carry: GHASH over the associated data, the ciphertext
    // (read from memory, in batches) and the length block, encrypted with E(J0).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private Vector128<byte> ExpectedTagLong(
        Vector128<uint> counter, byte* input, nuint length, byte* aad, nuint aadLength, Vector128<ulong> lengths)
    {
        Vector128<byte> encryptedJ0 = EncryptBlock(RoundKeys, Ssse3.Shuffle(counter.AsByte(), ByteSwapMask));
        Vector128<ulong> hash = GhashBuffer(Vector128<ulong>.Zero, aad, aadLength);
        nuint whole = length & ~(nuint)127;
        hash = GhashBuffer(hash, input, whole);

        Vector128<byte>* blocks = stackalloc Vector128<byte>[8];
        nuint tail = length - whole;
        nuint full = tail / 16;
        nuint rest = tail % 16;
        for (nuint i = 0; i < full; i++)
        {
            blocks[i] = Vector128.Load(input + whole + (i * 16));
        }

        if (rest != 0)
        {
            blocks[full] = LoadPartial(input + whole + (full * 16), rest);
        }

        hash = GhashBlocksWithLengths(hash, blocks, full + (rest != 0 ? 1u : 0u), lengths);
        return Ssse3.Shuffle(hash.AsByte(), ByteSwapMask) ^ encryptedJ0;
    }

    // CTR only (no GHASH) over whole and partial blocks, from data block blocksDone on: the
    // decryption pass of Open, and of DecryptAt, after the tag has matched.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Ctr(Vector128<uint> counter, uint blocksDone, byte* input, byte* output, nuint length)
    {
        if (_useVector256)
        {
            while (length >= 256)
            {
                CtrBatch8(counter, blocksDone, input, output);
                CtrBatch8(counter, blocksDone + 8, input + 128, output + 128);
                input += 256;
                output += 256;
                length -= 256;
                blocksDone += 16;
            }
        }

        while (length >= 128)
        {
            CtrBatch8(counter, blocksDone, input, output);
            input += 128;
            output += 128;
            length -= 128;
            blocksDone += 8;
        }

        if (length != 0)
        {
            Vector128<byte>* keystream = stackalloc Vector128<byte>[8];
            EncryptCounters8(counter, blocksDone + 1, keystream);
            nuint full = length / 16;
            nuint rest = length % 16;
            for (nuint i = 0; i < full; i++)
            {
                Vector128.Store(Vector128.Load(input + (i * 16)) ^ keystream[i], output + (i * 16));
            }

            if (rest != 0)
            {
                StorePartial(LoadPartial(input + (full * 16), rest) ^ keystream[full], output + (full * 16), rest);
            }
        }
    }

    // ---- AES ----------------------------------------------------------------------------------

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ExpandKey(byte* key, Vector128<byte>* rk)
    {
        // AES-256 key expansion with AESKEYGENASSIST (Intel's AES-NI white paper, figure 26).
        Vector128<byte> t1 = Vector128.Load(key);
        Vector128<byte> t3 = Vector128.Load(key + 16);
        rk[0] = t1;
        rk[1] = t3;
        ExpandRound(ref t1, ref t3, rk, 2, Aes.KeygenAssist(t3, 0x01));
        ExpandRound(ref t1, ref t3, rk, 4, Aes.KeygenAssist(t3, 0x02));
        ExpandRound(ref t1, ref t3, rk, 6, Aes.KeygenAssist(t3, 0x04));
        ExpandRound(ref t1, ref t3, rk, 8, Aes.KeygenAssist(t3, 0x08));
        ExpandRound(ref t1, ref t3, rk, 10, Aes.KeygenAssist(t3, 0x10));
        ExpandRound(ref t1, ref t3, rk, 12, Aes.KeygenAssist(t3, 0x20));
        Vector128<byte> t2 = Aes.KeygenAssist(t3, 0x40);
        rk[14] = ExpandFirst(t1, t2);
    }

    // One step of two round keys; assist is AESKEYGENASSIST(t3, rcon), computed by the caller so rcon stays a constant.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ExpandRound(ref Vector128<byte> t1, ref Vector128<byte> t3, Vector128<byte>* rk, int index, Vector128<byte> assist)
    {
        t1 = ExpandFirst(t1, assist);
        rk[index] = t1;
        Vector128<byte> t2 = Sse2.Shuffle(Aes.KeygenAssist(t1, 0).AsUInt32(), 0xAA).AsByte();
        t3 = ShiftXor(t3) ^ t2;
        rk[index + 1] = t3;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> ExpandFirst(Vector128<byte> t1, Vector128<byte> assist) =>
        ShiftXor(t1) ^ Sse2.Shuffle(assist.AsUInt32(), 0xFF).AsByte();

    // w ^ (w << 32) ^ (w << 64) ^ (w << 96): the running xor of the previous round key's words.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> ShiftXor(Vector128<byte> w)
    {
        Vector128<byte> t = Sse2.ShiftLeftLogical128BitLane(w, 4);
        w ^= t;
        t = Sse2.ShiftLeftLogical128BitLane(t, 4);
        w ^= t;
        t = Sse2.ShiftLeftLogical128BitLane(t, 4);
        return w ^ t;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> EncryptBlock(Vector128<byte>* rk, Vector128<byte> block)
    {
        block ^= rk[0];
        for (int i = 1; i < Rounds; i++)
        {
            block = Aes.Encrypt(block, rk[i]);
        }

        return Aes.EncryptLast(block, rk[Rounds]);
    }

    // The counter for GCM with a 96-bit nonce: J0 = nonce || 0x00000001, kept byte-reversed so the
    // 32-bit block counter is lane 0 and an ordinary 32-bit add increments it (mod 2^32, as inc32 does).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<uint> InitialCounter(byte* nonce)
    {
        ulong low = Unsafe.ReadUnaligned<ulong>(nonce);
        ulong high = Unsafe.ReadUnaligned<uint>(nonce + 8) | (1UL << 56);
        return Ssse3.Shuffle(Vector128.Create(low, high).AsByte(), ByteSwapMask).AsUInt32();
    }

    // The GHASH length block, len(A) || len(C) in bits as big-endian 64-bit integers, byte-reversed.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<ulong> LengthBlock(int aadLength, int textLength) =>
        Vector128.Create((ulong)textLength * 8, (ulong)aadLength * 8);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> CounterBlock(Vector128<uint> counter, uint offset) =>
        Ssse3.Shuffle(Sse2.Add(counter, Vector128.CreateScalar(offset)).AsByte(), ByteSwapMask);

    // Encrypts the eight counter blocks J0 + first .. J0 + first + 7 into keystream[0..7].
    private void EncryptCounters8(Vector128<uint> counter, uint first, Vector128<byte>* keystream)
    {
        Vector128<byte>* rk = RoundKeys;
        Vector128<byte> k = rk[0];
        Vector128<byte> b0 = CounterBlock(counter, first) ^ k;
        Vector128<byte> b1 = CounterBlock(counter, first + 1) ^ k;
        Vector128<byte> b2 = CounterBlock(counter, first + 2) ^ k;
        Vector128<byte> b3 = CounterBlock(counter, first + 3) ^ k;
        Vector128<byte> b4 = CounterBlock(counter, first + 4) ^ k;
        Vector128<byte> b5 = CounterBlock(counter, first + 5) ^ k;
        Vector128<byte> b6 = CounterBlock(counter, first + 6) ^ k;
        Vector128<byte> b7 = CounterBlock(counter, first + 7) ^ k;
        for (int i = 1; i < Rounds; i++)
        {
            k = rk[i];
            b0 = Aes.Encrypt(b0, k);
            b1 = Aes.Encrypt(b1, k);
            b2 = Aes.Encrypt(b2, k);
            b3 = Aes.Encrypt(b3, k);
            b4 = Aes.Encrypt(b4, k);
            b5 = Aes.Encrypt(b5, k);
            b6 = Aes.Encrypt(b6, k);
            b7 = Aes.Encrypt(b7, k);
        }

        k = rk[Rounds];
        keystream[0] = Aes.EncryptLast(b0, k);
        keystream[1] = Aes.EncryptLast(b1, k);
        keystream[2] = Aes.EncryptLast(b2, k);
        keystream[3] = Aes.EncryptLast(b3, k);
        keystream[4] = Aes.EncryptLast(b4, k);
        keystream[5] = Aes.EncryptLast(b5, k);
        keystream[6] = Aes.EncryptLast(b6, k);
        keystream[7] = Aes.EncryptLast(b7, k);
    }

    // Encrypts 8 blocks (CTR) from input to output and hashes the ciphertext into the running GHASH.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private Vector128<ulong> SealBatch8(Vector128<uint> counter, uint blocksDone, byte* input, byte* output, Vector128<ulong> hash)
    {
        Vector128<byte>* rk = RoundKeys;
        Vector128<byte> k = rk[0];
        uint first = blocksDone + 1;
        Vector128<byte> b0 = CounterBlock(counter, first) ^ k;
        Vector128<byte> b1 = CounterBlock(counter, first + 1) ^ k;
        Vector128<byte> b2 = CounterBlock(counter, first + 2) ^ k;
        Vector128<byte> b3 = CounterBlock(counter, first + 3) ^ k;
        Vector128<byte> b4 = CounterBlock(counter, first + 4) ^ k;
        Vector128<byte> b5 = CounterBlock(counter, first + 5) ^ k;
        Vector128<byte> b6 = CounterBlock(counter, first + 6) ^ k;
        Vector128<byte> b7 = CounterBlock(counter, first + 7) ^ k;
        for (int i = 1; i < Rounds; i++)
        {
            k = rk[i];
            b0 = Aes.Encrypt(b0, k);
            b1 = Aes.Encrypt(b1, k);
            b2 = Aes.Encrypt(b2, k);
            b3 = Aes.Encrypt(b3, k);
            b4 = Aes.Encrypt(b4, k);
            b5 = Aes.Encrypt(b5, k);
            b6 = Aes.Encrypt(b6, k);
            b7 = Aes.Encrypt(b7, k);
        }

        // The last round xors its key; fold the plaintext into that key to save an xor per block.
        k = rk[Rounds];
        b0 = Aes.EncryptLast(b0, k ^ Vector128.Load(input));
        b1 = Aes.EncryptLast(b1, k ^ Vector128.Load(input + 16));
        b2 = Aes.EncryptLast(b2, k ^ Vector128.Load(input + 32));
        b3 = Aes.EncryptLast(b3, k ^ Vector128.Load(input + 48));
        b4 = Aes.EncryptLast(b4, k ^ Vector128.Load(input + 64));
        b5 = Aes.EncryptLast(b5, k ^ Vector128.Load(input + 80));
        b6 = Aes.EncryptLast(b6, k ^ Vector128.Load(input + 96));
        b7 = Aes.EncryptLast(b7, k ^ Vector128.Load(input + 112));
        Vector128.Store(b0, output);
        Vector128.Store(b1, output + 16);
        Vector128.Store(b2, output + 32);
        Vector128.Store(b3, output + 48);
        Vector128.Store(b4, output + 64);
        Vector128.Store(b5, output + 80);
        Vector128.Store(b6, output + 96);
        Vector128.Store(b7, output + 112);

        Vector128<ulong>* h = Powers;
        Vector128<ulong>* hk = Karatsuba;
        Vector128<ulong> lo = default, hi = default, mid = default;
        MultiplyAccumulate(Reflect(b0) ^ hash, h[7], hk[7], ref lo, ref hi, ref mid);
        MultiplyAccumulate(Reflect(b1), h[6], hk[6], ref lo, ref hi, ref mid);
        MultiplyAccumulate(Reflect(b2), h[5], hk[5], ref lo, ref hi, ref mid);
        MultiplyAccumulate(Reflect(b3), h[4], hk[4], ref lo, ref hi, ref mid);
        MultiplyAccumulate(Reflect(b4), h[3], hk[3], ref lo, ref hi, ref mid);
        MultiplyAccumulate(Reflect(b5), h[2], hk[2], ref lo, ref hi, ref mid);
        MultiplyAccumulate(Reflect(b6), h[1], hk[1], ref lo, ref hi, ref mid);
        MultiplyAccumulate(Reflect(b7), h[0], hk[0], ref lo, ref hi, ref mid);
        return Reduce(lo, hi, mid);
    }

    // CTR only (no GHASH), 8 blocks: the decryption pass of Open, after the tag has matched.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void CtrBatch8(Vector128<uint> counter, uint blocksDone, byte* input, byte* output)
    {
        Vector128<byte>* rk = RoundKeys;
        Vector128<byte> k = rk[0];
        uint first = blocksDone + 1;
        Vector128<byte> b0 = CounterBlock(counter, first) ^ k;
        Vector128<byte> b1 = CounterBlock(counter, first + 1) ^ k;
        Vector128<byte> b2 = CounterBlock(counter, first + 2) ^ k;
        Vector128<byte> b3 = CounterBlock(counter, first + 3) ^ k;
        Vector128<byte> b4 = CounterBlock(counter, first + 4) ^ k;
        Vector128<byte> b5 = CounterBlock(counter, first + 5) ^ k;
        Vector128<byte> b6 = CounterBlock(counter, first + 6) ^ k;
        Vector128<byte> b7 = CounterBlock(counter, first + 7) ^ k;
        for (int i = 1; i < Rounds; i++)
        {
            k = rk[i];
            b0 = Aes.Encrypt(b0, k);
            b1 = Aes.Encrypt(b1, k);
            b2 = Aes.Encrypt(b2, k);
            b3 = Aes.Encrypt(b3, k);
            b4 = Aes.Encrypt(b4, k);
            b5 = Aes.Encrypt(b5, k);
            b6 = Aes.Encrypt(b6, k);
            b7 = Aes.Encrypt(b7, k);
        }

        k = rk[Rounds];
        Vector128.Store(Aes.EncryptLast(b0, k ^ Vector128.Load(input)), output);
        Vector128.Store(Aes.EncryptLast(b1, k ^ Vector128.Load(input + 16)), output + 16);
        Vector128.Store(Aes.EncryptLast(b2, k ^ Vector128.Load(input + 32)), output + 32);
        Vector128.Store(Aes.EncryptLast(b3, k ^ Vector128.Load(input + 48)), output + 48);
        Vector128.Store(Aes.EncryptLast(b4, k ^ Vector128.Load(input + 64)), output + 64);
        Vector128.Store(Aes.EncryptLast(b5, k ^ Vector128.Load(input + 80)), output + 80);
        Vector128.Store(Aes.EncryptLast(b6, k ^ Vector128.Load(input + 96)), output + 96);
        Vector128.Store(Aes.EncryptLast(b7, k ^ Vector128.Load(input + 112)), output + 112);
    }

    // ---- 256-bit GHASH (VPCLMULQDQ): 16 blocks per batch, two per register ---------------------
    // .NET 10 exposes VPCLMULQDQ (Pclmulqdq.V256) but not VAES, so AES stays on 128-bit AES-NI, and
    // the wide GHASH serves the passes that read from memory: associated data and Open's check.

    // GHASH of the 16 blocks at data, two per 256-bit register (block 2p in the low lane, 2p+1 in
    // the high lane), with one reduction. Takes a pointer: 256-bit arguments would go through the stack.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private Vector128<ulong> Ghash16(Vector128<ulong> hash, byte* data)
    {
        Vector256<ulong>* h = Powers256;
        Vector256<ulong>* hk = Karatsuba256;
        Vector256<ulong> lo = default, hi = default, mid = default;
        MultiplyAccumulate256(Reflect256(Vector256.Load(data)) ^ Vector256.Create(hash, Vector128<ulong>.Zero), h[0], hk[0], ref lo, ref hi, ref mid);
        MultiplyAccumulate256(Reflect256(Vector256.Load(data + 32)), h[1], hk[1], ref lo, ref hi, ref mid);
        MultiplyAccumulate256(Reflect256(Vector256.Load(data + 64)), h[2], hk[2], ref lo, ref hi, ref mid);
        MultiplyAccumulate256(Reflect256(Vector256.Load(data + 96)), h[3], hk[3], ref lo, ref hi, ref mid);
        MultiplyAccumulate256(Reflect256(Vector256.Load(data + 128)), h[4], hk[4], ref lo, ref hi, ref mid);
        MultiplyAccumulate256(Reflect256(Vector256.Load(data + 160)), h[5], hk[5], ref lo, ref hi, ref mid);
        MultiplyAccumulate256(Reflect256(Vector256.Load(data + 192)), h[6], hk[6], ref lo, ref hi, ref mid);
        MultiplyAccumulate256(Reflect256(Vector256.Load(data + 224)), h[7], hk[7], ref lo, ref hi, ref mid);
        return Reduce(lo.GetLower() ^ lo.GetUpper(), hi.GetLower() ^ hi.GetUpper(), mid.GetLower() ^ mid.GetUpper());
    }

    // ---- GHASH --------------------------------------------------------------------------------

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<ulong> Reflect(Vector128<byte> block) => Ssse3.Shuffle(block, ByteSwapMask).AsUInt64();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> Reflect256(Vector256<byte> blocks) => Avx2.Shuffle(blocks, ByteSwapMask256).AsUInt64();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<ulong> KaratsubaKey(Vector128<ulong> h)
    {
        ulong folded = h.GetElement(0) ^ h.GetElement(1);
        return Vector128.Create(folded, folded);
    }

    // x * H in the reflected representation: a 1-bit left shift with conditional reduction by
    // 0xC2000000_00000000_00000000_00000001. Runs once per key; the mask keeps it branch-free.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<ulong> MultiplyByX(Vector128<ulong> h)
    {
        ulong lo = h.GetElement(0);
        ulong hi = h.GetElement(1);
        ulong carry = (ulong)((long)hi >> 63);
        ulong newHi = (hi << 1) | (lo >> 63);
        ulong newLo = lo << 1;
        return Vector128.Create(newLo ^ (carry & 1UL), newHi ^ (carry & 0xC200000000000000UL));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void MultiplyAccumulate(
        Vector128<ulong> x, Vector128<ulong> h, Vector128<ulong> hk,
        ref Vector128<ulong> lo, ref Vector128<ulong> hi, ref Vector128<ulong> mid)
    {
        lo ^= Pclmulqdq.CarrylessMultiply(x, h, 0x00);
        hi ^= Pclmulqdq.CarrylessMultiply(x, h, 0x11);
        Vector128<ulong> folded = x ^ Sse2.Shuffle(x.AsUInt32(), 0x4E).AsUInt64();
        mid ^= Pclmulqdq.CarrylessMultiply(folded, hk, 0x00);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void MultiplyAccumulate256(
        Vector256<ulong> x, Vector256<ulong> h, Vector256<ulong> hk,
        ref Vector256<ulong> lo, ref Vector256<ulong> hi, ref Vector256<ulong> mid)
    {
        lo ^= Pclmulqdq.V256.CarrylessMultiply(x, h, 0x00);
        hi ^= Pclmulqdq.V256.CarrylessMultiply(x, h, 0x11);
        Vector256<ulong> folded = x ^ Avx2.Shuffle(x.AsUInt32(), 0x4E).AsUInt64();
        mid ^= Pclmulqdq.V256.CarrylessMultiply(folded, hk, 0x00);
    }

    // Combines the Karatsuba terms into a 256-bit product and reduces it modulo
    // x^128 + x^7 + x^2 + x + 1 (reflected) with two multiplications by 0xC2000000_00000000.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<ulong> Reduce(Vector128<ulong> lo, Vector128<ulong> hi, Vector128<ulong> mid)
    {
        mid ^= lo ^ hi;
        lo ^= Sse2.ShiftLeftLogical128BitLane(mid, 8);
        hi ^= Sse2.ShiftRightLogical128BitLane(mid, 8);
        Vector128<ulong> poly = Vector128.Create(0UL, 0xC200000000000000UL);
        Vector128<ulong> t = Pclmulqdq.CarrylessMultiply(lo, poly, 0x10);
        lo = Sse2.Shuffle(lo.AsUInt32(), 0x4E).AsUInt64() ^ t;
        t = Pclmulqdq.CarrylessMultiply(lo, poly, 0x10);
        lo = Sse2.Shuffle(lo.AsUInt32(), 0x4E).AsUInt64() ^ t;
        return lo ^ hi;
    }

    // Hashes whole 8- or 16-block batches of a buffer, and what is left (fewer than eight blocks,
    // the last one zero-padded) as one more batch. Used for associated data and for Open's pass.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private Vector128<ulong> GhashBuffer(Vector128<ulong> hash, byte* data, nuint length)
    {
        if (_useVector256)
        {
            while (length >= 256)
            {
                hash = Ghash16(hash, data);
                data += 256;
                length -= 256;
            }
        }

        Vector128<ulong>* h = Powers;
        Vector128<ulong>* hk = Karatsuba;
        while (length >= 128)
        {
            Vector128<ulong> lo = default, hi = default, mid = default;
            MultiplyAccumulate(Reflect(Vector128.Load(data)) ^ hash, h[7], hk[7], ref lo, ref hi, ref mid);
            MultiplyAccumulate(Reflect(Vector128.Load(data + 16)), h[6], hk[6], ref lo, ref hi, ref mid);
            MultiplyAccumulate(Reflect(Vector128.Load(data + 32)), h[5], hk[5], ref lo, ref hi, ref mid);
            MultiplyAccumulate(Reflect(Vector128.Load(data + 48)), h[4], hk[4], ref lo, ref hi, ref mid);
            MultiplyAccumulate(Reflect(Vector128.Load(data + 64)), h[3], hk[3], ref lo, ref hi, ref mid);
            MultiplyAccumulate(Reflect(Vector128.Load(data + 80)), h[2], hk[2], ref lo, ref hi, ref mid);
            MultiplyAccumulate(Reflect(Vector128.Load(data + 96)), h[1], hk[1], ref lo, ref hi, ref mid);
            MultiplyAccumulate(Reflect(Vector128.Load(data + 112)), h[0], hk[0], ref lo, ref hi, ref mid);
            hash = Reduce(lo, hi, mid);
            data += 128;
            length -= 128;
        }

        if (length != 0)
        {
            nuint full = length / 16;
            nuint rest = length % 16;
            int power = (int)(full + (rest != 0 ? 1u : 0u)) - 1;
            Vector128<ulong> lo = default, hi = default, mid = default;
            Vector128<ulong> carry = hash;
            for (nuint i = 0; i < full; i++, power--)
            {
                MultiplyAccumulate(Reflect(Vector128.Load(data + (i * 16))) ^ carry, h[power], hk[power], ref lo, ref hi, ref mid);
                carry = Vector128<ulong>.Zero;
            }

            if (rest != 0)
            {
                MultiplyAccumulate(Reflect(LoadPartial(data + (full * 16), rest)) ^ carry, h[0], hk[0], ref lo, ref hi, ref mid);
            }

            hash = Reduce(lo, hi, mid);
        }

        return hash;
    }

    // Hashes up to eight zero-padded blocks and then the length block, as one batch.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private Vector128<ulong> GhashBlocksWithLengths(Vector128<ulong> hash, Vector128<byte>* blocks, nuint count, Vector128<ulong> lengths)
    {
        Vector128<ulong>* h = Powers;
        Vector128<ulong>* hk = Karatsuba;
        Vector128<ulong> lo = default, hi = default, mid = default;
        Vector128<ulong> carry = hash;
        int power = (int)count;
        for (nuint i = 0; i < count; i++, power--)
        {
            MultiplyAccumulate(Reflect(blocks[i]) ^ carry, h[power], hk[power], ref lo, ref hi, ref mid);
            carry = Vector128<ulong>.Zero;
        }

        MultiplyAccumulate(lengths ^ carry, h[0], hk[0], ref lo, ref hi, ref mid);
        return Reduce(lo, hi, mid);
    }

    // GHASH of a whole short message: associated data, up to seven ciphertext blocks and the length
    // block. With at most 16 blocks in all it is one batch and one reduction.
    private Vector128<ulong> GhashShortMessage(byte* aad, nuint aadLength, Vector128<byte>* blocks, nuint blockCount, Vector128<ulong> lengths)
    {
        nuint aadBlocks = (aadLength + 15) / 16;
        if (aadBlocks + blockCount + 1 > PowerCount)
        {
            return GhashBlocksWithLengths(GhashBuffer(Vector128<ulong>.Zero, aad, aadLength), blocks, blockCount, lengths);
        }

        Vector128<ulong>* h = Powers;
        Vector128<ulong>* hk = Karatsuba;
        Vector128<ulong> lo = default, hi = default, mid = default;
        int power = (int)(aadBlocks + blockCount);
        nuint aadFull = aadLength / 16;
        nuint aadRest = aadLength % 16;
        for (nuint i = 0; i < aadFull; i++, power--)
        {
            MultiplyAccumulate(Reflect(Vector128.Load(aad + (i * 16))), h[power], hk[power], ref lo, ref hi, ref mid);
        }

        if (aadRest != 0)
        {
            MultiplyAccumulate(Reflect(LoadPartial(aad + (aadFull * 16), aadRest)), h[power], hk[power], ref lo, ref hi, ref mid);
            power--;
        }

        for (nuint i = 0; i < blockCount; i++, power--)
        {
            MultiplyAccumulate(Reflect(blocks[i]), h[power], hk[power], ref lo, ref hi, ref mid);
        }

        MultiplyAccumulate(lengths, h[0], hk[0], ref lo, ref hi, ref mid);
        return Reduce(lo, hi, mid);
    }

    // ---- helpers ------------------------------------------------------------------------------

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> TailMask(nuint length) =>
        Vector128.LoadUnsafe(ref MemoryMarshal.GetReference(TailMaskTable), 16 - length);

    // Reads 1..15 bytes into the low end of a zeroed block.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> LoadPartial(byte* source, nuint length)
    {
        Vector128<byte> block = Vector128<byte>.Zero;
        Unsafe.CopyBlockUnaligned(&block, source, (uint)length);
        return block;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StorePartial(Vector128<byte> block, byte* destination, nuint length) =>
        Unsafe.CopyBlockUnaligned(destination, &block, (uint)length);

    // Constant-time tag check: xor the whole 16 bytes and test the result for zero in one vector
    // instruction (PTEST, or PCMPEQB/PMOVMSKB), so no byte decides when the comparison ends.
    // CryptographicOperations.FixedTimeEquals gives the same guarantee but is compiled without
    // optimisation (NoInlining | NoOptimization) and cost about 150 ns per 16 bytes on this
    // project's machine, more than the whole rest of a 64-byte Open.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TagsEqual(Vector128<byte> expected, ReadOnlySpan<byte> tag) =>
        (expected ^ Vector128.Create(tag)) == Vector128<byte>.Zero;
}
