using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace EnclaveGen.Runtime.Crypto;

/// <summary>
/// Sealing and opening in pieces (<see cref="ISegmentedAead"/>): the same batches as the one-shot
/// paths, with the state between pieces kept in a <see cref="SealProgress"/>.
/// </summary>
/// <remarks>
/// The associated data comes last, although GHASH takes it first: GHASH is linear, so the hash of
/// A || C || lengths is hash(A) * H^(c + 1) + hash(C) * H + lengths * H, where c counts the
/// ciphertext blocks. The pieces hash C alone from zero; <see cref="FinishSeal"/> multiplies
/// hash(A) by H^c (square and multiply) and adds it before the length block. Only lengths, which
/// are public, decide branches here.
/// </remarks>
internal sealed unsafe partial class HardwareAesGcm
{
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public SealProgress BeginSeal(ReadOnlySpan<byte> nonce)
    {
        if (nonce.Length != BoundaryAead.NonceSize)
        {
            throw new ArgumentException($"The nonce must be {BoundaryAead.NonceSize} bytes (96 bits); got {nonce.Length}.", nameof(nonce));
        }

        ObjectDisposedException.ThrowIf(_disposed, this);
        fixed (byte* n = nonce)
        {
            return new SealProgress { Counter = InitialCounter(n) };
        }
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void SealBlocks(ref SealProgress progress, ReadOnlySpan<byte> plaintext, Span<byte> ciphertext)
    {
        CheckPiece(progress, plaintext, ciphertext);
        if ((plaintext.Length & 15) != 0)
        {
            throw new ArgumentException($"A piece before the last must be whole 16-byte blocks; got {plaintext.Length} bytes.", nameof(plaintext));
        }

        fixed (byte* input = plaintext)
        fixed (byte* output = ciphertext)
        {
            progress.Hash = SealPiece(progress.Counter, (uint)(progress.Length / 16), input, output, (nuint)plaintext.Length, progress.Hash);
        }

        progress.Length += plaintext.Length;
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void FinishSeal(ref SealProgress progress, ReadOnlySpan<byte> plaintext, Span<byte> ciphertext, ReadOnlySpan<byte> associatedData, Span<byte> tag)
    {
        CheckPiece(progress, plaintext, ciphertext);
        if (tag.Length != BoundaryAead.TagSize)
        {
            throw new ArgumentException($"The tag must be {BoundaryAead.TagSize} bytes (128 bits); got {tag.Length}.", nameof(tag));
        }

        long total = progress.Length + plaintext.Length;
        if (total > int.MaxValue)
        {
            throw new ArgumentException($"A message of {total} bytes is longer than one GCM message may be here.", nameof(plaintext));
        }

        fixed (byte* input = plaintext)
        fixed (byte* output = ciphertext)
        fixed (byte* aad = associatedData)
        fixed (byte* t = tag)
        {
            Vector128<uint> counter = progress.Counter;
            Vector128<ulong> hash = SealPiece(counter, (uint)(progress.Length / 16), input, output, (nuint)plaintext.Length, progress.Hash);

            ulong blocks = (ulong)((total + 15) / 16);
            Vector128<ulong> aadHash = GhashBuffer(Vector128<ulong>.Zero, aad, (nuint)associatedData.Length);
            if (blocks != 0)
            {
                aadHash = Multiply(aadHash, PowerOfH(blocks));
            }

            Vector128<ulong> lengths = LengthBlock(associatedData.Length, (int)total);
            hash = GhashBlocksWithLengths(aadHash ^ hash, null, 0, lengths);
            Vector128<byte> encryptedJ0 = EncryptBlock(RoundKeys, Ssse3.Shuffle(counter.AsByte(), ByteSwapMask));
            Vector128.Store(Ssse3.Shuffle(hash.AsByte(), ByteSwapMask) ^ encryptedJ0, t);
        }

        progress.Length = total;
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool Verify(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> tag, ReadOnlySpan<byte> associatedData)
    {
        BoundaryAead.CheckArguments(nonce, ciphertext, ciphertext, tag, nameof(ciphertext), nameof(ciphertext));
        ObjectDisposedException.ThrowIf(_disposed, this);
        fixed (byte* n = nonce)
        fixed (byte* input = ciphertext)
        fixed (byte* aad = associatedData)
        {
            Vector128<ulong> lengths = LengthBlock(associatedData.Length, ciphertext.Length);
            return TagsEqual(ExpectedTagLong(InitialCounter(n), input, (nuint)ciphertext.Length, aad, (nuint)associatedData.Length, lengths), tag);
        }
    }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void DecryptAt(ReadOnlySpan<byte> nonce, long offset, ReadOnlySpan<byte> ciphertext, Span<byte> plaintext)
    {
        if (nonce.Length != BoundaryAead.NonceSize)
        {
            throw new ArgumentException($"The nonce must be {BoundaryAead.NonceSize} bytes (96 bits); got {nonce.Length}.", nameof(nonce));
        }

        if (offset < 0 || offset + ciphertext.Length > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), offset, "The piece must lie within one message's payload.");
        }

        BoundaryAead.CheckArguments(nonce, ciphertext, plaintext, stackalloc byte[BoundaryAead.TagSize], nameof(ciphertext), nameof(plaintext));
        ObjectDisposedException.ThrowIf(_disposed, this);

        fixed (byte* n = nonce)
        fixed (byte* inputStart = ciphertext)
        fixed (byte* outputStart = plaintext)
        {
            Vector128<uint> counter = InitialCounter(n);
            byte* input = inputStart;
            byte* output = outputStart;
            nuint length = (nuint)ciphertext.Length;
            uint block = (uint)(offset / 16);
            int skip = (int)(offset % 16);
            if (skip != 0 && length != 0)
            {
                // The piece starts inside a block: use the rest of that block's keystream.
                Vector128<byte> keystream = EncryptBlock(RoundKeys, CounterBlock(counter, block + 1));
                byte* key = (byte*)&keystream;
                nuint take = Math.Min((nuint)(16 - skip), length);
                for (nuint i = 0; i < take; i++)
                {
                    output[i] = (byte)(input[i] ^ key[(nuint)skip + i]);
                }

                input += take;
                output += take;
                length -= take;
                block++;
            }

            Ctr(counter, block, input, output, length);
        }
    }

    private void CheckPiece(in SealProgress progress, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> ciphertext)
    {
        BoundaryAead.CheckArguments(stackalloc byte[BoundaryAead.NonceSize], plaintext, ciphertext, stackalloc byte[BoundaryAead.TagSize], nameof(plaintext), nameof(ciphertext));
        if ((progress.Length & 15) != 0)
        {
            throw new InvalidOperationException("The message's last piece was already sealed.");
        }

        ObjectDisposedException.ThrowIf(_disposed, this);
    }

    // Encrypts length bytes (the last piece may end in a partial block) starting at data block
    // blocksDone, and returns the running GHASH of the ciphertext, without the length block.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private Vector128<ulong> SealPiece(Vector128<uint> counter, uint blocksDone, byte* input, byte* output, nuint length, Vector128<ulong> hash)
    {
        while (length >= 128)
        {
            hash = SealBatch8(counter, blocksDone, input, output, hash);
            input += 128;
            output += 128;
            length -= 128;
            blocksDone += 8;
        }

        if (length == 0)
        {
            return hash;
        }

        Vector128<byte>* keystream = stackalloc Vector128<byte>[8];
        Vector128<byte>* blocks = stackalloc Vector128<byte>[8];
        EncryptCounters8(counter, blocksDone + 1, keystream);
        nuint full = length / 16;
        nuint rest = length % 16;
        for (nuint i = 0; i < full; i++)
        {
            Vector128<byte> c = Vector128.Load(input + (i * 16)) ^ keystream[i];
            Vector128.Store(c, output + (i * 16));
            blocks[i] = c;
        }

        if (rest != 0)
        {
            Vector128<byte> c = (LoadPartial(input + (full * 16), rest) ^ keystream[full]) & TailMask(rest);
            StorePartial(c, output + (full * 16), rest);
            blocks[full] = c;
        }

        return GhashBlocks(hash, blocks, full + (rest != 0 ? 1u : 0u));
    }

    // Hashes up to eight blocks into the running GHASH, as one batch.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private Vector128<ulong> GhashBlocks(Vector128<ulong> hash, Vector128<byte>* blocks, nuint count)
    {
        Vector128<ulong>* h = Powers;
        Vector128<ulong>* hk = Karatsuba;
        Vector128<ulong> lo = default, hi = default, mid = default;
        Vector128<ulong> carry = hash;
        int power = (int)count - 1;
        for (nuint i = 0; i < count; i++, power--)
        {
            MultiplyAccumulate(Reflect(blocks[i]) ^ carry, h[power], hk[power], ref lo, ref hi, ref mid);
            carry = Vector128<ulong>.Zero;
        }

        return Reduce(lo, hi, mid);
    }

    // H^n (n >= 1) in the stored form of the precomputed powers (times x), by square and multiply.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private Vector128<ulong> PowerOfH(ulong n)
    {
        if (n <= PowerCount)
        {
            return Powers[n - 1];
        }

        Vector128<ulong> square = Powers[0];
        Vector128<ulong> result = default;
        bool started = false;
        while (true)
        {
            if ((n & 1) != 0)
            {
                result = started ? Multiply(result, square) : square;
                started = true;
            }

            n >>= 1;
            if (n == 0)
            {
                return result;
            }

            square = Multiply(square, square);
        }
    }

    // a * b where b is in the stored form (a hash times H^k, or a power times another power).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<ulong> Multiply(Vector128<ulong> a, Vector128<ulong> b)
    {
        Vector128<ulong> lo = default, hi = default, mid = default;
        MultiplyAccumulate(a, b, KaratsubaKey(b), ref lo, ref hi, ref mid);
        return Reduce(lo, hi, mid);
    }
}
