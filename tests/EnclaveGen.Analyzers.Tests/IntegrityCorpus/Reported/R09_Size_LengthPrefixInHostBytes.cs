// Expect: EG6002 at line 25
// EG6002: a count read out of host bytes (a length prefix) sizes an array
using System;
using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using EnclaveGen;

namespace IntegrityCorpus;

[Enclave]
public partial class Decoder
{
    [Trusted]
    public int DecodeIds()
    {
        byte[] message = NextMessage();
        int count = BinaryPrimitives.ReadInt32LittleEndian(message);
        var ids = new int[count]; // <- EG6002
        for (int i = 0; i < ids.Length && 4 + 4 * i < message.Length; i++)
        {
            ids[i] = BinaryPrimitives.ReadInt32LittleEndian(message.AsSpan(4 + 4 * i));
        }

        return ids.Length;
    }

    [Untrusted] private static partial byte[] NextMessage();
}

partial class Decoder
{
    private static partial byte[] NextMessage() => throw new NotSupportedException("the host's side");
}
