// Expect: none
// safe: a parser walks host bytes up to their length, never further than what was copied in
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
    public int CountRecords()
    {
        byte[] message = NextMessage();
        int records = 0;
        int offset = 0;
        while (offset + 4 <= message.Length)
        {
            int length = BinaryPrimitives.ReadInt32LittleEndian(message.AsSpan(offset));
            offset += 4 + Math.Max(length, 0);
            records++;
        }

        return records;
    }

    [Untrusted] private static partial byte[] NextMessage();
}

partial class Decoder
{
    private static partial byte[] NextMessage() => throw new NotSupportedException("the host's side");
}
