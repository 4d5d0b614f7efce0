using System.Buffers.Binary;

namespace EnclaveGen.Runtime.Tests.Fuzz;

/// <summary>
/// Hand-built payloads for the recursive types (<c>Node</c>, a linked list; <c>Tree</c>, with a
/// <c>List&lt;Tree&gt;</c> of children) that random mutation rarely reaches: chains deeper than
/// the depth limit, and trees whose every level declares as many children as the rest of the
/// message could hold, so that each level asks for a large collection at once.
/// </summary>
internal static class HostileStructures
{
    /// <summary>A <c>Node</c> chain of <paramref name="length"/> nodes (one nesting level each).</summary>
    public static byte[] NodeChain(int length)
    {
        byte[] bytes = new byte[(length * 5) + 1];
        for (int i = 0; i < length; i++)
        {
            bytes[i * 5] = 1; // present
            BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan((i * 5) + 1), i);
        }

        return bytes; // the last byte stays 0: Next = null
    }

    /// <summary>A <c>Tree</c> that is a chain of <paramref name="depth"/> nodes, each with one child but the last.</summary>
    public static byte[] TreeChain(int depth)
    {
        byte[] bytes = new byte[depth * 9];
        for (int level = 0; level < depth; level++)
        {
            Span<byte> node = bytes.AsSpan(level * 9, 9);
            node[0] = 1; // present
            BinaryPrimitives.WriteInt32LittleEndian(node.Slice(1), 0); // label ""
            BinaryPrimitives.WriteInt32LittleEndian(node.Slice(5), level == depth - 1 ? 0 : 1);
        }

        return bytes;
    }

    /// <summary>
    /// A <c>Tree</c> <paramref name="depth"/> levels deep in which every level's child count is
    /// the number of bytes that remain after it (each child needs at least one byte), padded with
    /// zeros to <paramref name="totalLength"/>. Each count alone fits the message; together they
    /// claim it <paramref name="depth"/> times over.
    /// </summary>
    public static byte[] InflatedTree(int depth, int totalLength)
    {
        byte[] bytes = new byte[Math.Max(totalLength, depth * 9)];
        for (int level = 0; level < depth; level++)
        {
            Span<byte> node = bytes.AsSpan(level * 9, 9);
            node[0] = 1;
            BinaryPrimitives.WriteInt32LittleEndian(node.Slice(1), 0);
            BinaryPrimitives.WriteInt32LittleEndian(node.Slice(5), bytes.Length - ((level + 1) * 9));
        }

        return bytes;
    }
}
