#if NET
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace EnclaveGen;

/// <summary>
/// Selections, comparisons and table reads whose instruction sequence and memory accesses do not
/// depend on a secret: what the side-channel rules (EG4001, EG4003) ask trusted code to use
/// instead of a branch or an index that a secret decides, and what their code fixes write.
/// </summary>
/// <remarks>
/// <para>
/// Every member computes with masks (all bits set or none) instead of branching: both candidate
/// values are read, every table entry is read, and the secret only decides which bits survive an
/// AND. Nothing here returns early on a secret.
/// </para>
/// <para>
/// What this can promise: the IL has no branch on a secret, and the .NET JIT compiles bitwise
/// arithmetic on integers to bitwise instructions; it does not turn masks back into branches.
/// What it cannot promise: the JIT, the CPU and the OS are outside the library's control. A future
/// JIT may optimize differently, a CPU may vary instruction timing with operand values (division,
/// some multiplications on old cores), and values the caller computes around these calls are the
/// caller's code. Lengths are public: <see cref="Equals(ReadOnlySpan{byte}, ReadOnlySpan{byte})"/>
/// returns at once for different lengths, and a table's length and the validity of an index are
/// not hidden. Check what matters with a timing test (the <c>EnclaveGen.Testing</c> package's
/// <c>TimingLeakTest</c>), on the hardware you deploy to.
/// </para>
/// </remarks>
public static class ConstantTime
{
    /// <summary><paramref name="whenTrue"/> if <paramref name="condition"/>, else <paramref name="whenFalse"/>; both are read either way.</summary>
    public static int Select(bool condition, int whenTrue, int whenFalse) => whenFalse ^ ((whenTrue ^ whenFalse) & Mask(condition));

    /// <inheritdoc cref="Select(bool, int, int)"/>
    public static uint Select(bool condition, uint whenTrue, uint whenFalse) => whenFalse ^ ((whenTrue ^ whenFalse) & (uint)Mask(condition));

    /// <inheritdoc cref="Select(bool, int, int)"/>
    public static long Select(bool condition, long whenTrue, long whenFalse) => whenFalse ^ ((whenTrue ^ whenFalse) & Mask(condition));

    /// <inheritdoc cref="Select(bool, int, int)"/>
    public static ulong Select(bool condition, ulong whenTrue, ulong whenFalse) => whenFalse ^ ((whenTrue ^ whenFalse) & (ulong)(long)Mask(condition));

    /// <inheritdoc cref="Select(bool, int, int)"/>
    public static byte Select(bool condition, byte whenTrue, byte whenFalse) => (byte)(whenFalse ^ ((whenTrue ^ whenFalse) & Mask(condition)));

    /// <summary>
    /// <paramref name="whenTrue"/> if <paramref name="condition"/>, else <paramref name="whenFalse"/>,
    /// for any unmanaged type (a <see cref="bool"/>, a <see cref="double"/>, a struct of such): selected
    /// byte by byte, so padding bytes and every bit pattern are copied exactly.
    /// </summary>
    public static T Select<T>(bool condition, T whenTrue, T whenFalse)
        where T : unmanaged
    {
        byte mask = (byte)Mask(condition);
        Span<byte> chosen = MemoryMarshal.AsBytes(new Span<T>(ref whenTrue));
        ReadOnlySpan<byte> other = MemoryMarshal.AsBytes(new ReadOnlySpan<T>(ref whenFalse));
        for (int i = 0; i < chosen.Length; i++)
        {
            chosen[i] = (byte)(other[i] ^ ((chosen[i] ^ other[i]) & mask));
        }

        return whenTrue;
    }

    /// <summary>Whether <paramref name="left"/> &lt; <paramref name="right"/>, computed from the sign of their difference without a comparison instruction's branch.</summary>
    public static bool LessThan(int left, int right) => ToBool((int)((ulong)((long)left - right) >> 63));

    /// <inheritdoc cref="LessThan(int, int)"/>
    public static bool LessThan(uint left, uint right) => ToBool((int)(((ulong)left - right) >> 63));

    /// <inheritdoc cref="LessThan(int, int)"/>
    public static bool LessThan(long left, long right)
    {
        // Hacker's Delight 2-12: the sign of (x - y) corrected where the subtraction overflowed.
        long difference = left - right;
        return ToBool((int)((ulong)(difference ^ ((left ^ right) & (difference ^ left))) >> 63));
    }

    /// <inheritdoc cref="LessThan(int, int)"/>
    public static bool LessThan(ulong left, ulong right) => ToBool((int)(((~left & right) | ((~left | right) & (left - right))) >> 63));

    /// <summary>
    /// Whether two byte sequences are equal, reading every byte of both whatever they hold
    /// (<see cref="CryptographicOperations.FixedTimeEquals"/>). Different lengths return false at
    /// once: a length is public.
    /// </summary>
    public static bool Equals(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right) => CryptographicOperations.FixedTimeEquals(left, right);

    /// <summary>
    /// <c>table[secretIndex]</c>, reading every entry of <paramref name="table"/> so which memory is
    /// touched does not depend on the index. Costs one pass over the table.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="secretIndex"/> is outside the table (whether it is inside is not hidden).</exception>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static T Lookup<T>(ReadOnlySpan<T> table, int secretIndex)
        where T : unmanaged
    {
        if ((uint)secretIndex >= (uint)table.Length)
        {
            // The message leaves the index out: it is a secret.
            throw new ArgumentOutOfRangeException(nameof(secretIndex), $"The index is outside the table of {table.Length} entries.");
        }

        T result = default;
        Span<byte> resultBytes = MemoryMarshal.AsBytes(new Span<T>(ref result));
        ReadOnlySpan<byte> entries = MemoryMarshal.AsBytes(table);
        int size = resultBytes.Length;
        for (int i = 0; i < table.Length; i++)
        {
            byte mask = (byte)EqualMask(i, secretIndex);
            ReadOnlySpan<byte> entry = entries.Slice(i * size, size);
            for (int j = 0; j < size; j++)
            {
                resultBytes[j] |= (byte)(entry[j] & mask);
            }
        }

        return result;
    }

    /// <inheritdoc cref="Lookup{T}(ReadOnlySpan{T}, int)"/>
    public static T Lookup<T>(T[] table, int secretIndex)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(table);
        return Lookup((ReadOnlySpan<T>)table, secretIndex);
    }

    /// <summary>All bits set when <paramref name="condition"/> is true (any non-zero byte), none when false.</summary>
    private static int Mask(bool condition)
    {
        int bit = Unsafe.As<bool, byte>(ref condition);
        return (bit | -bit) >> 31;
    }

    /// <summary>All bits set when <paramref name="left"/> equals <paramref name="right"/>, none otherwise.</summary>
    private static int EqualMask(int left, int right)
    {
        int difference = left ^ right;
        return ~((difference | -difference) >> 31);
    }

    private static bool ToBool(int bit)
    {
        byte value = (byte)bit;
        return Unsafe.As<byte, bool>(ref value);
    }
}
#endif
