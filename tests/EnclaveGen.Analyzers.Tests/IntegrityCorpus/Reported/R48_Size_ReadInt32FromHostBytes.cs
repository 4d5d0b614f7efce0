// Expect: EG6002 at line 25
// EG6002: a length read from the host's bytes sizes an array
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
public partial class Reader
{
    [Trusted]
    public int Load()
    {
        byte[] header = ReadHeader();
        int length = BinaryPrimitives.ReadInt32LittleEndian(header);
        var body = new byte[length]; // <- EG6002
        return body.Length;
    }

    [Untrusted] private static partial byte[] ReadHeader();
}

partial class Reader
{
    private static partial byte[] ReadHeader() => throw new NotSupportedException("the host's side");
}
